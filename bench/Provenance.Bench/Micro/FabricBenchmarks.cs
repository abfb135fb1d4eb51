using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Grpc.Net.Client;
using Provenance.Fabric;

namespace Provenance.Bench.Micro;

/// <summary>
/// Fabric client, CPU only: build a proposal, take its digest, sign it (DER, low-S) and read the transaction id, against
/// raw ECDSA P-256 signing of the same digests. No peer is contacted.
/// </summary>
public class FabricBenchmarks
{
    private ECDsa _key = null!;
    private GrpcChannel _channel = null!;
    private Contract _contract = null!;
    private Func<byte[], CancellationToken, Task<byte[]>> _signer = null!;
    private byte[][] _digests = [];
    private string[] _records = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bench-client", _key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var identity = Identity.FromPem("Org1MSP", certificate.ExportCertificatePem());
        _channel = GrpcChannel.ForAddress("http://127.0.0.1:9");
        _signer = Signers.NewPrivateKeySigner(_key);
        _contract = new Gateway(_channel, identity, _signer).GetNetwork("provenance").GetContract("provenance");
        _records = [.. Enumerable.Range(0, 256).Select(i => $"{{\"eventId\":\"evt-{i:D8}\",\"gtin\":\"09506000134352\",\"serial\":\"7KQ2M9XW4RTA{i:D4}\",\"gatewayId\":\"gw-1\",\"siteId\":\"plant-1\",\"sealedAt\":\"2026-11-23T10:00:00Z\",\"attested\":true}}")];
        _digests = [.. _records.Select(r => _contract.NewProposal("RecordSeal", ProposalOptions.WithArguments(r)).GetDigest())];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Dispose();
        _key.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[] RawSign() => _key.SignHash(_digests[_next++ & 255], DSASignatureFormat.Rfc3279DerSequence);

    [Benchmark]
    public string ProposalBuildSign()
    {
        var proposal = _contract.NewProposal("RecordSeal", ProposalOptions.WithArguments(_records[_next++ & 255]));
        var signature = _signer(proposal.GetDigest(), CancellationToken.None).GetAwaiter().GetResult();
        return signature.Length > 0 ? proposal.TransactionId : string.Empty;
    }
}
