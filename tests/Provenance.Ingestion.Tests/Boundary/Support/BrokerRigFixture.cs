namespace Provenance.Ingestion.Tests.Boundary.Support;

/// <summary>One <see cref="BrokerRig"/> shared by a test class (each test uses its own gateways).</summary>
public sealed class BrokerRigFixture : IAsyncLifetime
{
    private int _gateways;

    public BrokerRig Rig { get; private set; } = null!;

    /// <summary>A fresh gateway for one test.</summary>
    public string NewGateway(string prefix) => Rig.AddGateway($"{prefix}-{Interlocked.Increment(ref _gateways)}");

    public async Task InitializeAsync()
    {
        Rig = await BrokerRig.StartAsync();
        Rig.AddGateway("gw-base");
    }

    public async Task DisposeAsync() => await Rig.DisposeAsync();
}
