using Grpc.Net.Client;

namespace Provenance.Fabric.Tests.Support;

/// <summary>
/// A started fake peer, a trusted client identity, a plain-text channel and a gateway with short timeouts and fast
/// retries, plus the <c>kv</c> contract. Disposing stops everything and fails if the peer logged errors.
/// </summary>
internal sealed class FabricTestEnvironment : IAsyncDisposable
{
    private FabricTestEnvironment(FakeGatewayPeer peer, TestCredentials credentials, GrpcChannel channel, Gateway gateway)
    {
        Peer = peer;
        Credentials = credentials;
        Channel = channel;
        Gateway = gateway;
        Network = gateway.GetNetwork(FakeGatewayPeer.ChannelName);
        Contract = Network.GetContract(FakeGatewayPeer.ChaincodeName);
    }

    public FakeGatewayPeer Peer { get; }

    public TestCredentials Credentials { get; }

    public GrpcChannel Channel { get; }

    public Gateway Gateway { get; }

    public Network Network { get; }

    public Contract Contract { get; }

    public static GatewayOptions FastOptions() => new()
    {
        EvaluateTimeout = TimeSpan.FromSeconds(10),
        EndorseTimeout = TimeSpan.FromSeconds(10),
        SubmitTimeout = TimeSpan.FromSeconds(10),
        CommitStatusTimeout = TimeSpan.FromSeconds(10),
        MaxAttempts = 3,
        RetryDelay = TimeSpan.FromMilliseconds(10),
    };

    public static async Task<FabricTestEnvironment> StartAsync(GatewayOptions? options = null, bool withSigner = true)
    {
        var peer = await FakeGatewayPeer.StartAsync();
        var credentials = TestCredentials.Create();
        peer.Trust(credentials);
        var channel = peer.CreateChannel();
        var gateway = new Gateway(channel, credentials.Identity, withSigner ? credentials.Signer : null, options ?? FastOptions());
        return new FabricTestEnvironment(peer, credentials, channel, gateway);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Credentials.Dispose();
        await Peer.DisposeAsync();
    }
}
