using System.Globalization;

namespace Provenance.Bench.Harness;

/// <summary>
/// The real local Fabric network for the bench: <c>fabric-network/network.sh up</c>, <c>createChannel</c> and
/// <c>deploy</c> (orderer, both peers and the chaincode server as local processes on free loopback ports, TLS, the
/// shipped endorsement policy) in a temporary directory; <c>down</c> on dispose stops exactly what it started.
/// </summary>
public sealed class LocalFabric : IAsyncDisposable
{
    public const string Channel = "provenance";
    public const string Chaincode = "provenance";

    private readonly TempDirectory _temp = new("bench-fabric-");
    private Dictionary<string, string> _settings = [];

    private LocalFabric()
    {
    }

    public string NetworkDirectory => _temp.Combine("network");

    public int ProducerPeerPort => int.Parse(_settings["PRODUCER_PEER_PORT"], CultureInfo.InvariantCulture);

    public string ProducerTlsCa => Path.Combine(Organizations, "peers", "peer0.producer.example.com", "tls", "ca.crt");

    /// <summary>The producer peer's block files for the channel (what the ledger costs on disk).</summary>
    public string ProducerBlockFiles => Path.Combine(NetworkDirectory, "nodes", "producer", "production", "ledgersData", "chains", "chains", Channel);

    private string Organizations => Path.Combine(NetworkDirectory, "organizations", "peerOrganizations", "producer.example.com");

    /// <summary>Where Fabric's binaries are (FABRIC_BIN, else ../shared/fabric/bin), or null.</summary>
    public static string? Binaries =>
        Environment.GetEnvironmentVariable("FABRIC_BIN") is { Length: > 0 } bin ? bin
        : File.Exists(Path.Combine(RepoPaths.Root, "..", "shared", "fabric", "bin", "peer")) ? Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "fabric", "bin"))
        : null;

    /// <summary>The certificate and key files of a cryptogen user (User1, Admin) of the producer organisation.</summary>
    public (string Certificate, string Key) Identity(string user)
    {
        var msp = Path.Combine(Organizations, "users", $"{user}@producer.example.com", "msp");
        return (Path.Combine(msp, "signcerts", $"{user}@producer.example.com-cert.pem"), Path.Combine(msp, "keystore", "priv_sk"));
    }

    /// <summary>Bytes of the producer peer's block files.</summary>
    public long LedgerBytes() => new DirectoryInfo(ProducerBlockFiles).EnumerateFiles("blockfile_*").Sum(f => f.Length);

    public static async Task<LocalFabric> StartAsync(CancellationToken cancellationToken)
    {
        var fabric = new LocalFabric();
        try
        {
            foreach (var step in new[] { "up", "createChannel", "deploy" })
            {
                await fabric.RunScriptAsync(step, cancellationToken);
            }

            fabric._settings = File.ReadLines(Path.Combine(fabric.NetworkDirectory, "network.env"))
                .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
                .Select(l => l.Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv[1]);
            return fabric;
        }
        catch
        {
            await fabric.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(NetworkDirectory, "network.env")))
        {
            await RunScriptAsync("down", CancellationToken.None);
        }

        _temp.Dispose();
    }

    private async Task RunScriptAsync(string step, CancellationToken cancellationToken)
    {
        var bin = Binaries ?? throw new InvalidOperationException("Fabric binaries not found: set FABRIC_BIN (and FABRIC_CFG_PATH) or put them in ../shared/fabric");
        var config = Environment.GetEnvironmentVariable("FABRIC_CFG_PATH") is { Length: > 0 } cfg ? cfg : Path.Combine(bin, "..", "config");
        Log.Info($"network.sh {step}");
        await ProcessRunner.RunCheckedAsync(
            "env",
            [$"NETWORK_DIR={NetworkDirectory}", "FREE_PORTS=1", $"FABRIC_BIN={bin}", $"FABRIC_CFG_PATH={config}", "bash", Path.Combine(RepoPaths.Root, "fabric-network", "network.sh"), step],
            cancellationToken: cancellationToken);
    }
}
