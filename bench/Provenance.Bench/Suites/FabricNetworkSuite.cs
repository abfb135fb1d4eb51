using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Provenance.Bench.Harness;
using Provenance.Fabric;

namespace Provenance.Bench.Suites;

/// <summary>
/// RecordSeals on the real local Fabric network (network.sh: one Raft orderer, producer and distributor peers that
/// both endorse, the chaincode as a service): our C# Gateway client, submitting as the Fabric engine does (batches of
/// 500 records, 4 transactions in flight, each commit awaited), against the official Node client
/// (@hyperledger/fabric-gateway 1.11) submitting batches of the same shape with the same concurrency, back to back in
/// the same run. Also the ledger bytes per seal, from the producer peer's block files.
/// </summary>
public sealed class FabricNetworkSuite : IBenchSuite
{
    private const int RecordsPerTransaction = 500;
    private const int InFlight = 4;

    private static string NodeClientDirectory => Path.Combine(RepoPaths.Root, "bench", "fabric-gateway-node");

    public string Name => "fabric-network";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var transactions = settings.Quick ? 8 : 30;
        await using var fabric = await LocalFabric.StartAsync(cancellationToken);
        var user = fabric.Identity("User1");
        var (channel, gateway) = Connect(fabric, fabric.Identity("Admin"));
        using var adminChannel = channel;
        var admin = gateway.GetNetwork(LocalFabric.Channel).GetContract(LocalFabric.Chaincode);
        await WaitForBothOrganisationsAsync(admin, cancellationToken);
        using var ours = new SealBatches($"bench-cs-{Guid.NewGuid():N}"[..20]);
        using var theirs = new SealBatches($"bench-js-{Guid.NewGuid():N}"[..20]);
        foreach (var line in new[] { ours, theirs })
        {
            await admin.SubmitAsync("RegisterGateway", [line.GatewayId, SealBatches.SiteId, line.PublicKeyPem], cancellationToken);
        }

        // Warm-up of both clients and of the chaincode (one small round each, not counted).
        await OursAsync(fabric, user, ours.Next(2, 50), cancellationToken);
        await NodeClientAsync(fabric, user, theirs.Next(2, 50), cancellationToken);

        var baseline = new List<double>();
        var measured = new List<double>();
        var bytesPerSeal = new List<double>();
        for (var r = 0; r < settings.Repeats; r++)
        {
            baseline.Add(await NodeClientAsync(fabric, user, theirs.Next(transactions, RecordsPerTransaction), cancellationToken));
            var before = fabric.LedgerBytes();
            measured.Add(await OursAsync(fabric, user, ours.Next(transactions, RecordsPerTransaction), cancellationToken));
            bytesPerSeal.Add((fabric.LedgerBytes() - before) / (double)(transactions * RecordsPerTransaction));
            Log.Info($"fabric-network run {r + 1}: official Node client {baseline[^1]:N0} records/s, ours {measured[^1]:N0} records/s, {bytesPerSeal[^1]:N0} B of ledger per seal");
        }

        // The engine itself, through serve and the gateway simulator over MQTT, on the same network.
        using var serveTemp = new TempDirectory("bench-fabric-serve-");
        await using var engine = new FabricEngineRun(fabric, serveTemp);
        await engine.StartAsync(cancellationToken);
        var engineRates = new List<double>();
        var perTransaction = new List<double>();
        for (var r = 0; r < settings.Repeats; r++)
        {
            var (rate, records) = await engine.BacklogAsync(settings.Quick ? 2_000 : 10_000, cancellationToken);
            engineRates.Add(rate);
            perTransaction.Add(records);
            Log.Info($"fabric-network engine run {r + 1}: {rate:N0} committed records/s, {records:N0} records per transaction");
        }

        var latencySeals = settings.Quick ? 300 : 1_500;
        var (p50, p95) = await engine.LatencyAsync(latencySeals, 50, cancellationToken);
        Log.Info($"fabric-network seal-to-proof at 50 seals/s: p50 {p50:N0} ms, p95 {p95:N0} ms");

        var shape = $"{transactions} tx × {RecordsPerTransaction} records ({RecordsPerTransaction / SealBatches.EventsPerMessage} signed messages each), {InFlight} in flight, endorsed by both peers; median of {settings.Repeats}";
        return
        [
            new ResultRow("Fabric network", "C# client committed records/s (vs official Node client)", Stats.Median(baseline), Stats.Median(measured), 1.0, string.Empty, shape),
            new ResultRow("Fabric network", "engine (serve) committed records/s (vs official Node client)", Stats.Median(baseline), Stats.Median(engineRates), 1.0, string.Empty,
                $"serve on the Fabric engine with shipped defaults, backlog sealed by the simulator over MQTT, first to last commit, {Stats.Median(perTransaction):N0} records per transaction; goal ≥ 3,000/s; median of {settings.Repeats}"),
            new ResultRow("Fabric network", "engine seal-to-proof p50 / p95 at 50 seals/s (ms)", double.NaN, p95, null, string.Empty,
                $"p50 {p50:N0} ms, p95 {p95:N0} ms over {latencySeals:N0} seals (journal entry to proof); goal p95 ≤ 2,000 ms"),
            new ResultRow("Fabric network", "ledger bytes per seal (producer peer block files)", double.NaN, Stats.Median(bytesPerSeal), null, string.Empty, "goal ≤ 1,500 B"),
        ];
    }

    /// <summary>
    /// Right after deploy the producer peer's gateway may not know the distributor peer yet (gossip): endorse a query
    /// (never submitted) until both organisations' endorsements can be gathered.
    /// </summary>
    private static async Task WaitForBothOrganisationsAsync(Contract contract, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await contract.NewProposal("GetGateway", ProposalOptions.WithArguments("network-check")).EndorseAsync(cancellationToken);
                return;
            }
            catch (EndorseException e) when (e.StatusCode is Grpc.Core.StatusCode.FailedPrecondition && deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    /// <summary>Our client, as the engine submits: SubmitAsyncNoWait then the commit status, a fixed number in flight.</summary>
    private static async Task<double> OursAsync(LocalFabric fabric, (string Certificate, string Key) user, IReadOnlyList<string> batches, CancellationToken cancellationToken)
    {
        var (channel, gateway) = Connect(fabric, user);
        using var _ = channel;
        var contract = gateway.GetNetwork(LocalFabric.Channel).GetContract(LocalFabric.Chaincode);
        var next = -1;
        var records = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                var submitted = await contract.SubmitAsyncNoWait("RecordSeals", ProposalOptions.WithArguments(batches[i]), cancellationToken);
                var status = await submitted.GetStatusAsync(cancellationToken);
                if (!status.Successful)
                {
                    throw new InvalidOperationException($"transaction {submitted.TransactionId} was invalid: {status.CodeName}");
                }

                Interlocked.Add(ref records, JsonDocument.Parse(submitted.Result.ToArray()).RootElement.GetProperty("stored").GetArrayLength());
            }
        }));
        return Expect(records, batches) / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The official Node client (bench/fabric-gateway-node/submit.mjs) on the same batches.</summary>
    private static async Task<double> NodeClientAsync(LocalFabric fabric, (string Certificate, string Key) user, IReadOnlyList<string> batches, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(NodeClientDirectory, "node_modules")))
        {
            await ProcessRunner.RunCheckedAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], NodeClientDirectory, cancellationToken);
        }

        var file = Path.Combine(fabric.NetworkDirectory, $"batches-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, batches, cancellationToken);
        var result = await ProcessRunner.RunCheckedAsync(
            "env",
            [
                $"PEER_ENDPOINT=127.0.0.1:{fabric.ProducerPeerPort}", $"TLS_CA={fabric.ProducerTlsCa}", "MSP_ID=ProducerMSP",
                $"CERTIFICATE={user.Certificate}", $"PRIVATE_KEY={user.Key}", $"CHANNEL={LocalFabric.Channel}", $"CHAINCODE={LocalFabric.Chaincode}",
                $"IN_FLIGHT={InFlight}", "node", "submit.mjs", file,
            ],
            NodeClientDirectory,
            cancellationToken);
        var json = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]).RootElement;
        if (json.GetProperty("invalid").GetInt32() != 0)
        {
            throw new InvalidOperationException($"the official client had invalid transactions: {json}");
        }

        return Expect(json.GetProperty("records").GetInt32(), batches) / json.GetProperty("seconds").GetDouble();
    }

    private static int Expect(int records, IReadOnlyList<string> batches)
    {
        var sent = batches.Sum(b => JsonDocument.Parse(b).RootElement.GetProperty("records").GetArrayLength());
        return records == sent ? records : throw new InvalidOperationException($"{records} of {sent} records stored (the rest were duplicates or refused)");
    }

    private static (Grpc.Net.Client.GrpcChannel Channel, Gateway Gateway) Connect(LocalFabric fabric, (string Certificate, string Key) identity)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(identity.Key));
        var tls = new FabricTlsOptions { RootCertificates = FabricTlsOptions.LoadRootCertificates(File.ReadAllText(fabric.ProducerTlsCa)) };
        var channel = FabricChannelFactory.Create(new Uri($"https://127.0.0.1:{fabric.ProducerPeerPort}"), tls);
        return (channel, new Gateway(channel, Provenance.Fabric.Identity.FromPem("ProducerMSP", File.ReadAllText(identity.Certificate)), Signers.NewPrivateKeySigner(key)));
    }
}
