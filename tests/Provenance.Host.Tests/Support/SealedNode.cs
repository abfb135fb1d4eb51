using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Host.Tests.EndToEnd;

namespace Provenance.Host.Tests.Support;

/// <summary>
/// A running node with codes in every state a real node can put them in today: sealed by the real gateway simulator
/// over MQTT (authentic), issued but not sealed, forged (MAC altered) and validly signed but never issued (unknown).
/// </summary>
public sealed class SealedNode : IAsyncLifetime
{
    public ProvenanceNode Node { get; } = new();

    public GatewayCredentials Gateway { get; private set; } = null!;

    public IReadOnlyList<string> Sealed { get; private set; } = [];

    public string NotSealed { get; private set; } = string.Empty;

    public string Counterfeit { get; private set; } = string.Empty;

    public string Unknown { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Gateway = await Node.SetUpAsync();
        var (_, urls) = await Node.IssueAsync(20);
        await Node.StartAsync();
        using var key = Simulation.LoadKey(Gateway);
        await Simulation.RunGnssOnlyAsync(Simulation.Options(Node, Gateway, [], key), TimeSpan.FromSeconds(1.5));
        await Simulation.RunAsync(Simulation.Options(Node, Gateway, urls.Take(10).ToList(), key), TimeSpan.FromSeconds(60));
        await SealToVerdictTests.WaitForLedgerAsync(Node);
        Sealed = urls.Take(10).ToList();
        NotSealed = urls[15];
        Counterfeit = ForgedCode.WithAlteredMac(urls[16]);
        var codes = new CodeAuthenticator(CodeKeyFile.Load(Node.DataDirectory, new CodeOptions()));
        Unknown = codes.Sign(DigitalLink.ForTag(Node.Authority, Gtin.Parse(ProvenanceNode.Gtin), "NEVERISSUED42", "L1", "http"));
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
