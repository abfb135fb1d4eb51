using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// A real mosquitto started from the shipped deploy/mosquitto/mosquitto.conf (listener and paths rewritten by
/// <see cref="MosquittoConfig"/>, everything else as shipped: persistence, unlimited queues, ACLs, client ids bound to
/// user names), with ingestion users added by the shipped add-ingestion.sh and gateways by add-gateway.sh. The broker
/// uses a client's user name as its client id, so every ingestion instance of a test has its own user
/// (<see cref="IngestionUsers"/>). Restartable on the same port and data directory.
/// </summary>
internal sealed class MosquittoRig : IAsyncDisposable
{
    public const string IngestionUser = "ingestion";
    public const string IngestionPassword = "ingestion-engines-secret";

    /// <summary>The ingestion users every rig has (one per instance or session a test runs at once).</summary>
    public static readonly string[] IngestionUsers = [IngestionUser, "ingest-1", "ingest-2", "ingest-plain", "ingest-shared", "ingest-expiry-0", "ingest-expiry-86400", "ingest-api"];

    private readonly TempDirectory _dir = new("prov-mosquitto");
    private MosquittoProcess? _broker;
    private string? _configPath;

    private MosquittoRig(int port) => Port = port;

    public int Port { get; }

    public string Log => _broker?.Log ?? string.Empty;

    private string PasswordFile => _dir.Combine("passwd");

    private string AclFile => _dir.Combine("acl");

    /// <summary>The TLS listener's port, when the rig was started with <see cref="StartWithTlsAsync"/>.</summary>
    public int? TlsPort { get; private set; }

    /// <summary>Creates the users (ingestion + the given gateways) and starts the broker.</summary>
    public static Task<MosquittoRig> StartAsync(params GatewayCredentials[] gateways) => StartAsync(null, gateways);

    /// <summary>
    /// As <see cref="StartAsync(GatewayCredentials[])"/>, plus the shipped TLS listener (conf.d/tls.conf.example) on a free
    /// loopback port with the given certificate files.
    /// </summary>
    public static Task<MosquittoRig> StartWithTlsAsync(TlsFiles tls, params GatewayCredentials[] gateways) => StartAsync(tls, gateways);

    private static async Task<MosquittoRig> StartAsync(TlsFiles? tls, GatewayCredentials[] gateways)
    {
        var rig = new MosquittoRig(FreePort.Next());
        foreach (var gateway in gateways)
        {
            var add = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Mosquitto, "add-gateway.sh"), "--passwd", rig.PasswordFile, "--acl", rig.AclFile, "--owner", OwnerOfTestFiles, gateway.SiteId, gateway.GatewayId, gateway.Secret]);
            Assert.True(add.ExitCode == 0, add.Describe("add-gateway.sh"));
        }

        foreach (var user in IngestionUsers)
        {
            var add = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Mosquitto, "add-ingestion.sh"), "--passwd", rig.PasswordFile, "--acl", rig.AclFile, "--owner", OwnerOfTestFiles, user, IngestionPassword]);
            Assert.True(add.ExitCode == 0, add.Describe("add-ingestion.sh"));
        }

        var data = Directory.CreateDirectory(rig._dir.Combine("data")).FullName;
        var include = Directory.CreateDirectory(rig._dir.Combine("conf.d")).FullName;
        if (tls is not null)
        {
            rig.TlsPort = FreePort.Next();
            var listener = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.Mosquitto, "conf.d", "tls.conf.example")))
                .Replace("listener 8883", $"listener {rig.TlsPort} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/mosquitto/certs/ca.crt", tls.CaPath, StringComparison.Ordinal)
                .Replace("/mosquitto/certs/server.crt", tls.CertificatePath, StringComparison.Ordinal)
                .Replace("/mosquitto/certs/server.key", tls.KeyPath, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(include, "tls.conf"), listener);
        }

        var config = MosquittoConfig.Adapt(await File.ReadAllTextAsync(MosquittoConfig.ShippedPath), rig.Port, data, rig.PasswordFile, rig.AclFile, include);
        rig._configPath = await config.WriteAsync(rig._dir.Combine("mosquitto.conf"));
        rig._broker = await MosquittoProcess.StartAsync(rig._configPath, rig.Port);
        return rig;
    }

    /// <summary>The broker of a test runs as the test's own user (<see cref="MosquittoConfig"/>), which keeps the files.</summary>
    private static string OwnerOfTestFiles => Environment.UserName;

    /// <summary>A crash: SIGKILL, no final save of the persistence database.</summary>
    public async Task KillAsync()
    {
        var old = _broker ?? throw new InvalidOperationException("mosquitto is not running");
        await old.DisposeAsync();
        _broker = null;
    }

    /// <summary>Starts the broker again on the same port, configuration and data directory.</summary>
    public async Task StartAgainAsync() =>
        _broker = await MosquittoProcess.StartAsync(_configPath!, Port);

    /// <summary>Stops the broker gracefully (SIGTERM: mosquitto saves its database).</summary>
    public async Task StopAsync()
    {
        var old = _broker ?? throw new InvalidOperationException("mosquitto is not running");
        await old.StopGracefullyAsync();
        await old.DisposeAsync();
        _broker = null;
    }

    /// <summary>A graceful restart (SIGTERM: mosquitto saves its database) on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        var old = _broker ?? throw new InvalidOperationException("mosquitto is not running");
        await old.StopGracefullyAsync();
        await old.DisposeAsync();
        _broker = await MosquittoProcess.StartAsync(_configPath!, Port);
    }

    /// <summary>
    /// <c>provenance serve</c> arguments for ingestion from this broker as user (and client id) <paramref name="user"/>,
    /// on the shared subscription group <c>ingestion</c> unless <paramref name="sharedGroup"/> says otherwise (empty: a
    /// plain subscription, the product's default).
    /// </summary>
    public IReadOnlyList<string> HostArguments(string user, string sharedGroup = "ingestion")
    {
        Assert.Contains(user, IngestionUsers);
        return
        [
            "--Broker:Embedded=false", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={Port}", $"--Mqtt:Username={user}",
            $"--Mqtt:Password={IngestionPassword}", $"--Mqtt:ClientId={user}", $"--Mqtt:SharedGroup={sharedGroup}",
        ];
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _dir.Dispose();
    }
}
