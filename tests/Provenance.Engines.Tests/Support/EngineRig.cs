using System.Security.Cryptography;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// One scenario's world: a node data directory set up through the CLI (site, product, one gateway, issued tags), a
/// real mosquitto holding the same gateway secret, optionally a real influxd, and the gateway simulator aimed at
/// mosquitto with a store-and-forward queue and an acknowledged-events file.
/// </summary>
internal sealed class EngineRig : IAsyncDisposable
{
    private EngineRig(ProvenanceNode node, GatewayCredentials gateway, IReadOnlyList<string> codes, ECDsa key, MosquittoRig broker, InfluxdProcess? influx)
    {
        Node = node;
        Gateway = gateway;
        Codes = codes;
        Key = key;
        Broker = broker;
        Influx = influx;
    }

    public ProvenanceNode Node { get; }

    public GatewayCredentials Gateway { get; }

    public IReadOnlyList<string> Codes { get; }

    public ECDsa Key { get; }

    public MosquittoRig Broker { get; }

    public InfluxdProcess? Influx { get; }

    public string DataDirectory => Node.DataDirectory;

    public string AckedFile => Path.Combine(Node.WorkDirectory, "acked.txt");

    public static async Task<EngineRig> StartAsync(int seals, bool withInflux)
    {
        var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, codes) = await node.IssueAsync(seals);
        var broker = await MosquittoRig.StartAsync(gateway);
        var influx = withInflux ? await InfluxdProcess.StartAsync() : null;
        return new EngineRig(node, gateway, codes, Simulation.LoadKey(gateway), broker, influx);
    }

    /// <summary>An ingestion instance (user and client id <paramref name="user"/>, shared group <c>ingestion</c>) on this rig's data directory, broker and (if any) InfluxDB.</summary>
    public IngestionInstance Instance(string user, params string[] extra) =>
        new(DataDirectory, Node.WorkDirectory, [.. Broker.HostArguments(user), .. Influx?.HostArguments ?? [], .. extra]);

    /// <summary>An ingestion instance on a plain subscription: the single-instance default of the product.</summary>
    public IngestionInstance PlainInstance(string user, params string[] extra) =>
        new(DataDirectory, Node.WorkDirectory, [.. Broker.HostArguments(user, sharedGroup: ""), .. Influx?.HostArguments ?? [], .. extra]);

    /// <summary>
    /// The simulator at <paramref name="rate"/> seals/s (distinct sealed-at times; at rate 0 a whole message shares one
    /// instant), 10 events a message, GNSS every 200 ms, a durable queue and the acknowledged-events file.
    /// </summary>
    public SimulatorOptions SimulatorOptions(double rate) => Simulation.Options(Node, Gateway, Codes, Key) with
    {
        Port = Broker.Port,
        Rate = rate,
        Batch = 10,
        QueueDirectory = Path.Combine(Node.WorkDirectory, "gateway-queue"),
        AckedFile = AckedFile,
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>
    /// Runs the simulator to completion; once <paramref name="faultAfterSeals"/> seals are acknowledged, runs
    /// <paramref name="fault"/> while the stream goes on.
    /// </summary>
    public async Task<SimulatorResult> RunWithFaultAsync(SimulatorOptions options, long faultAfterSeals, Func<long, Task> fault, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        // The simulator's own log (connections, retries, progress) goes into the failure message with the broker's.
        using var simulatorLog = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var log = TextWriter.Synchronized(simulatorLog);
        var simulator = new GatewaySimulator(options, log);
        var reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.MessageAcknowledged += (_, _) =>
        {
            if (simulator.Counters.SealsAcked >= faultAfterSeals)
            {
                reached.TrySetResult(simulator.Counters.SealsAcked);
            }
        };
        using var cts = new CancellationTokenSource(timeout);
        var run = simulator.RunAsync(cts.Token);
        var ackedAtFault = await reached.Task.WaitAsync(timeout);
        await fault(ackedAtFault);
        var result = await run;
        Assert.True(
            result.Outcome == SimulatorOutcome.Completed,
            $"simulator ended {result.Outcome} with {result.Backlog} message(s) unacknowledged\n--- broker\n{Broker.Log}\n--- simulator\n{Tail(simulatorLog.ToString())}\n--- other\n{diagnostics?.Invoke()}");
        return result;
    }

    /// <summary>
    /// Polls the seals table until it holds <paramref name="expected"/> seals or <paramref name="timeout"/> passes;
    /// returns the count reached (the caller's figures show any shortfall).
    /// </summary>
    public async Task<long> WaitForStoredSealsAsync(long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long count;
        while ((count = HostDatabase.SealEventIds(DataDirectory).Count) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return count;
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(60));

    public IReadOnlyList<string> AcknowledgedEventIds() => File.ReadAllLines(AckedFile).Where(l => l.Length > 0).ToList();

    public async ValueTask DisposeAsync()
    {
        Key.Dispose();
        if (Influx is not null)
        {
            await Influx.DisposeAsync();
        }

        await Broker.DisposeAsync();
        await Node.DisposeAsync();
    }
}
