using System.Net;
using Provenance.Storage;

namespace Provenance.Api.Tests;

/// <summary>Scanner ids: persisted across restarts (the server secret file), one per network identity, never the address itself.</summary>
public sealed class ScannerIdentityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-scanner-").FullName;
    private readonly string _replicaDir = Directory.CreateTempSubdirectory("prov-replica-").FullName;

    [Fact]
    public void The_same_client_has_the_same_scanner_id_after_a_restart_and_on_a_replica_with_the_same_secret()
    {
        var first = new ScannerIdentity(ServerSecret.Load(_dir, null)).Of(IPAddress.Parse("198.51.100.7"));
        var restarted = new ScannerIdentity(ServerSecret.Load(_dir, null)).Of(IPAddress.Parse("198.51.100.7"));
        var configured = File.ReadAllText(Path.Combine(_dir, ServerSecret.FileName)).Trim(); // as a secret store would hand it over
        var replica = new ScannerIdentity(ServerSecret.Load(_replicaDir, configured)).Of(IPAddress.Parse("198.51.100.7"));

        Assert.Equal(first, restarted);
        Assert.Equal(first, replica);
        Assert.DoesNotContain("198", first, StringComparison.Ordinal);
        Assert.Equal(16, first.Length);
    }

    [Fact]
    public void Addresses_within_one_ipv6_64_are_one_scanner_and_ipv4_mapped_addresses_are_their_ipv4()
    {
        var scanners = new ScannerIdentity(ServerSecret.Load(_dir, null));

        Assert.Equal(scanners.Of(IPAddress.Parse("2001:db8:1:2::1")), scanners.Of(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:fffe")));
        Assert.NotEqual(scanners.Of(IPAddress.Parse("2001:db8:1:2::1")), scanners.Of(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(scanners.Of(IPAddress.Parse("198.51.100.7")), scanners.Of(IPAddress.Parse("::ffff:198.51.100.7")));
        Assert.NotEqual(scanners.Of(IPAddress.Parse("198.51.100.7")), scanners.Of(IPAddress.Parse("198.51.100.8")));
    }

    [Fact]
    public void Another_server_secret_gives_other_ids()
    {
        var mine = new ScannerIdentity(ServerSecret.Load(_dir, null)).Of(IPAddress.Parse("198.51.100.7"));
        var theirs = new ScannerIdentity(ServerSecret.FromBytes(new byte[32])).Of(IPAddress.Parse("198.51.100.7"));

        Assert.NotEqual(mine, theirs);
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_replicaDir, recursive: true);
    }
}
