using Grpc.Core;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task TLS_works_when_the_client_trusts_only_the_runtime_CA_and_overrides_the_server_name()
    {
        using var pki = TestPki.Create();
        await using var peer = await FakeGatewayPeer.StartAsync(pki);

        var result = await EvaluateAsync(peer, new FabricTlsOptions
        {
            RootCertificates = FabricTlsOptions.LoadRootCertificates(pki.CaPem),
            ServerNameOverride = TestPki.ServerName,
        });

        Assert.Equal("v", result);
    }

    [Fact]
    public async Task Without_the_server_name_override_the_certificate_name_does_not_match_and_the_call_fails()
    {
        using var pki = TestPki.Create();
        await using var peer = await FakeGatewayPeer.StartAsync(pki);

        var error = await Assert.ThrowsAsync<EndorseException>(() => EvaluateAsync(peer, new FabricTlsOptions
        {
            RootCertificates = FabricTlsOptions.LoadRootCertificates(pki.CaPem),
        }));

        Assert.Contains("RemoteCertificateNameMismatch", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_is_not_trusted()
    {
        using var pki = TestPki.Create();
        using var otherPki = TestPki.Create("tlsca.org2.example.com");
        await using var peer = await FakeGatewayPeer.StartAsync(pki);

        var error = await Assert.ThrowsAsync<EndorseException>(() => EvaluateAsync(peer, new FabricTlsOptions
        {
            RootCertificates = FabricTlsOptions.LoadRootCertificates(otherPki.CaPem),
            ServerNameOverride = TestPki.ServerName,
        }));

        Assert.Contains("remote certificate", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Mutual_TLS_succeeds_with_a_client_certificate_from_the_CA()
    {
        using var pki = TestPki.Create();
        await using var peer = await FakeGatewayPeer.StartAsync(pki, requireClientCertificate: true);

        var result = await EvaluateAsync(peer, new FabricTlsOptions
        {
            RootCertificates = FabricTlsOptions.LoadRootCertificates(pki.CaPem),
            ServerNameOverride = TestPki.ServerName,
            ClientCertificate = pki.ClientCertificate,
        });

        Assert.Equal("v", result);
    }

    [Fact]
    public async Task Mutual_TLS_fails_without_a_client_certificate()
    {
        using var pki = TestPki.Create();
        await using var peer = await FakeGatewayPeer.StartAsync(pki, requireClientCertificate: true);

        var error = await Assert.ThrowsAsync<EndorseException>(() => EvaluateAsync(peer, new FabricTlsOptions
        {
            RootCertificates = FabricTlsOptions.LoadRootCertificates(pki.CaPem),
            ServerNameOverride = TestPki.ServerName,
        }));

        Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.Internal, $"got {error.StatusCode}");
    }

    private static async Task<string> EvaluateAsync(FakeGatewayPeer peer, FabricTlsOptions tls)
    {
        using var credentials = TestCredentials.Create();
        peer.Trust(credentials);
        var options = FabricTestEnvironment.FastOptions();
        options.MaxAttempts = 1;
        using var channel = FabricChannelFactory.Create(peer.Address, tls);
        var contract = new Gateway(channel, credentials.Identity, credentials.Signer, options)
            .GetNetwork(FakeGatewayPeer.ChannelName).GetContract(FakeGatewayPeer.ChaincodeName);
        await contract.SubmitAsync("put", ["k", "v"]);
        return System.Text.Encoding.UTF8.GetString(await contract.EvaluateAsync("get", ["k"]));
    }
}
