using OpenTelemetry;
using OpenTelemetry.Trace;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// Ingestion from a real mosquitto by the whole host composed in the test process (<see cref="InProcessNode"/>, on a
/// data directory set up by the CLI), with OpenTelemetry's in-memory exporter recording every <c>Provenance.*</c>
/// span — the simulator's publishes included, since it runs in the same process.
/// </summary>
internal sealed class TracedIngestion : IAsyncDisposable
{
    private readonly ProvenanceNode _setup;
    private readonly TracerProvider _tracing;

    private TracedIngestion(ProvenanceNode setup, TracerProvider tracing, SpanLog spans, GatewayCredentials gateway, IReadOnlyList<string> codes, MosquittoRig broker)
    {
        _setup = setup;
        _tracing = tracing;
        Spans = spans;
        Gateway = gateway;
        Codes = codes;
        Broker = broker;
    }

    public SpanLog Spans { get; }

    public GatewayCredentials Gateway { get; }

    public IReadOnlyList<string> Codes { get; }

    public MosquittoRig Broker { get; }

    public InProcessNode Host { get; private set; } = null!;

    public string DataDirectory => _setup.DataDirectory;

    public static async Task<TracedIngestion> StartAsync(int codes)
    {
        var setup = new ProvenanceNode();
        var gateway = await setup.SetUpAsync();
        var (_, urls) = await setup.IssueAsync(codes);
        var broker = await MosquittoRig.StartAsync(gateway);
        var spans = new SpanLog();
        var tracing = Sdk.CreateTracerProviderBuilder().AddSource("Provenance.*").AddInMemoryExporter(spans).Build();
        var rig = new TracedIngestion(setup, tracing, spans, gateway, urls, broker);
        var settings = new Dictionary<string, string?> { ["Provenance:DataDirectory"] = setup.DataDirectory };
        foreach (var argument in broker.HostArguments(MosquittoRig.IngestionUser))
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            settings[argument[2..equals]] = argument[(equals + 1)..];
        }

        rig.Host = await InProcessNode.StartAsync(settings);

        // Publishing before ingestion's subscription is granted gets NoMatchingSubscribers from mosquitto (seen in CI).
        await rig.Host.WaitSubscribedAsync();
        return rig;
    }

    /// <summary>The simulator as the set-up gateway, publishing to the rig's mosquitto.</summary>
    public SimulatorOptions Simulator(System.Security.Cryptography.ECDsa key) =>
        Simulation.Options(_setup, Gateway, Codes, key) with { Port = Broker.Port, Batch = 1, Seed = 11 };

    public string Errors => string.Join("\n", Host.Errors);

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        _tracing.Dispose();
        await Broker.DisposeAsync();
        await _setup.DisposeAsync();
    }
}
