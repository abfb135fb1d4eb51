using System.Diagnostics;
using System.Globalization;
using System.Text;
using Provenance.Host.Tests.Support;

namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>
/// The real Fabric network of the test run: <c>fabric-network/network.sh up</c>, <c>createChannel</c> and
/// <c>deploy</c> with a temporary data directory and free loopback ports (the orderer, both peers and the chaincode
/// server as local processes, TLS, the shipped endorsement policy AND(producer, distributor)), once for the whole
/// collection; <c>network.sh down</c> at the end stops exactly what it started. Where the binaries are missing it does
/// nothing (every test is skipped with the reason).
/// </summary>
public sealed class LocalFabricNetwork : IAsyncLifetime
{
    public const string Channel = "provenance";
    public const string Chaincode = "provenance";

    private readonly string _directory = Directory.CreateTempSubdirectory("prov-fabric-net-").FullName;
    private Dictionary<string, string> _settings = [];

    /// <summary>The network's data directory (NETWORK_DIR).</summary>
    public string NetworkDirectory => Path.Combine(_directory, "network");

    public static string Script => Path.Combine(RepositoryPaths.Root, "fabric-network", "network.sh");

    public string Organizations => Path.Combine(NetworkDirectory, "organizations");

    public int PeerPort(string org) => int.Parse(_settings[org == "producer" ? "PRODUCER_PEER_PORT" : "DISTRIBUTOR_PEER_PORT"], CultureInfo.InvariantCulture);

    public string PeerEndpoint(string org = "producer") => $"https://127.0.0.1:{PeerPort(org)}";

    public string TlsCaPath(string org = "producer") =>
        Path.Combine(Organizations, "peerOrganizations", $"{org}.example.com", "peers", $"peer0.{org}.example.com", "tls", "ca.crt");

    public static string MspId(string org) => org == "producer" ? "ProducerMSP" : "DistributorMSP";

    /// <summary>The certificate and key files of a cryptogen user (User1, Admin) of an organisation.</summary>
    public (string Certificate, string Key) IdentityFiles(string org, string user)
    {
        var msp = Path.Combine(Organizations, "peerOrganizations", $"{org}.example.com", "users", $"{user}@{org}.example.com", "msp");
        return (Path.Combine(msp, "signcerts", $"{user}@{org}.example.com-cert.pem"), Path.Combine(msp, "keystore", "priv_sk"));
    }

    /// <summary>A client of the network as this identity.</summary>
    public FabricClient Connect(string org = "producer", string user = "User1") =>
        FabricClient.Open(PeerEndpoint(org), TlsCaPath(org), MspId(org), IdentityFiles(org, user));

    /// <summary>The settings that point <c>provenance serve</c> (or a CLI verb) at this network, as command-line arguments.</summary>
    public IEnumerable<string> LedgerArguments(bool withAdmin = true, string? chaincode = null, string? channel = null)
    {
        var user = IdentityFiles("producer", "User1");
        var admin = IdentityFiles("producer", "Admin");
        yield return "--Ledger:Engine=fabric";
        yield return $"--Ledger:Fabric:Endpoint=127.0.0.1:{PeerPort("producer")}";
        yield return $"--Ledger:Fabric:TlsCaPath={TlsCaPath()}";
        yield return "--Ledger:Fabric:MspId=ProducerMSP";
        yield return $"--Ledger:Fabric:CertificatePath={user.Certificate}";
        yield return $"--Ledger:Fabric:PrivateKeyPath={user.Key}";
        yield return $"--Ledger:Fabric:Channel={channel ?? Channel}";
        yield return $"--Ledger:Fabric:Chaincode={chaincode ?? Chaincode}";
        if (withAdmin)
        {
            yield return $"--Ledger:Fabric:AdminCertificatePath={admin.Certificate}";
            yield return $"--Ledger:Fabric:AdminPrivateKeyPath={admin.Key}";
        }
    }

    /// <summary>The same settings as environment variables (for CLI verbs, which read configuration like serve).</summary>
    public Dictionary<string, string> LedgerEnvironment(bool withAdmin = false) =>
        LedgerArguments(withAdmin).Select(a => a[2..].Split('=', 2)).ToDictionary(kv => kv[0].Replace(":", "__", StringComparison.Ordinal), kv => kv[1]);

    public async Task InitializeAsync()
    {
        if (FabricBinaries.MissingReason is not null)
        {
            return;
        }

        foreach (var step in new[] { "up", "createChannel", "deploy" })
        {
            await RunScriptAsync(step);
        }

        _settings = File.ReadLines(Path.Combine(NetworkDirectory, "network.env"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);
        await WaitForBothOrganisationsAsync();
    }

    /// <summary>
    /// Right after deploy the producer peer's gateway may not know the distributor peer yet (gossip): endorses a query
    /// (never submitted) until both organisations' endorsements can be gathered, as every RecordSeals needs.
    /// </summary>
    private async Task WaitForBothOrganisationsAsync()
    {
        using var admin = Connect("producer", "Admin");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            try
            {
                await admin.Contract.NewProposal("GetGateway", Provenance.Fabric.ProposalOptions.WithArguments("network-check")).EndorseAsync(deadline.Token);
                return;
            }
            catch (Provenance.Fabric.EndorseException e) when (e.StatusCode is Grpc.Core.StatusCode.FailedPrecondition && !deadline.IsCancellationRequested)
            {
                await Task.Delay(200, deadline.Token);
            }
        }
    }

    /// <summary>SIGKILL of one node (orderer, producer, distributor, chaincode): a crash, no shutdown.</summary>
    public void Kill(string node)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(NetworkDirectory, "run", $"{node}.pid")).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Starts a node again with its configuration and data (network.sh start NODE); returns once it listens.</summary>
    public Task StartNodeAsync(string node) => RunScriptAsync("start", node);

    /// <summary>
    /// Waits until a line containing every one of <paramref name="fragments"/> is appended to a node's log (lines already
    /// there do not count). Polls the file's new bytes every few milliseconds, so the caller acts within them.
    /// </summary>
    public async Task WaitForNewLogLineAsync(string node, IReadOnlyList<string> fragments, TimeSpan timeout)
    {
        var log = Path.Combine(NetworkDirectory, "logs", $"{node}.log");
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(0, SeekOrigin.End);
        using var reader = new StreamReader(stream);
        var deadline = DateTime.UtcNow + timeout;
        var partial = string.Empty;
        while (true)
        {
            var added = await reader.ReadToEndAsync();
            var lines = (partial + added).Split('\n');
            partial = lines[^1];
            if (lines[..^1].Any(line => fragments.All(f => line.Contains(f, StringComparison.Ordinal))))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no line with {string.Join(" and ", fragments)} in {log} within {timeout}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>The tail of a node's log, for failure messages.</summary>
    public string LogTail(string node, int lines = 40)
    {
        var log = Path.Combine(NetworkDirectory, "logs", $"{node}.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(lines)) : $"(no {log})";
    }

    public async Task DisposeAsync()
    {
        if (FabricBinaries.MissingReason is null && File.Exists(Path.Combine(NetworkDirectory, "network.env")))
        {
            await RunScriptAsync("down");
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A node that was just killed may still hold a file for a moment.
        }
    }

    private async Task RunScriptAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NETWORK_DIR"] = NetworkDirectory;
        info.Environment["FREE_PORTS"] = "1";
        info.Environment["FABRIC_BIN"] = FabricBinaries.Bin!;
        info.Environment["FABRIC_CFG_PATH"] = FabricBinaries.Config!;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"network.sh {string.Join(' ', args)} exited {process.ExitCode}:\n{output}\n--- orderer ---\n{LogTail("orderer")}\n--- producer ---\n{LogTail("producer")}\n--- chaincode ---\n{LogTail("chaincode")}");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}

/// <summary>The real network, started once for every test class that shares it.</summary>
[CollectionDefinition(Name)]
public sealed class FabricNetworkCollection : ICollectionFixture<LocalFabricNetwork>
{
    public const string Name = "Fabric network";
}
