using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Provenance.Fabric.Protos.Common;
using Provenance.Fabric.Protos.Msp;
using Provenance.Fabric.Protos.Peer;

namespace Provenance.Fabric.Tests.Support;

/// <summary>A chaincode proposal as a peer sees it once it has checked it.</summary>
internal sealed record CheckedProposal(
    string TransactionId,
    string ChannelId,
    string MspId,
    string ChaincodeName,
    string Function,
    IReadOnlyList<byte[]> Arguments,
    IReadOnlyDictionary<string, byte[]> Transient,
    ByteString HeaderBytes,
    ByteString SignatureHeaderBytes,
    ByteString ProposalBytes,
    ByteString ProposalPayloadWithoutTransient);

/// <summary>
/// What a Fabric peer verifies, done independently of the client library: strict DER low-S ECDSA signatures by the
/// creator's certificate over the exact bytes, the transaction id derivation, channel header fields and the
/// chaincode invocation. Failures are the gRPC errors a peer would return. Stateless.
/// </summary>
internal static class PeerChecks
{
    private static readonly BigInteger P256Order = new(
        Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"), isUnsigned: true, isBigEndian: true);

    public static readonly TimeSpan TimestampWindow = TimeSpan.FromMinutes(2);

    /// <summary>Strict DER SEQUENCE of two INTEGERs, nothing after it; returns false if not.</summary>
    public static bool TryDecodeDer(ReadOnlySpan<byte> signature, out BigInteger r, out BigInteger s)
    {
        r = s = BigInteger.Zero;
        try
        {
            var reader = new AsnReader(signature.ToArray(), AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            r = sequence.ReadInteger();
            s = sequence.ReadInteger();
            return !sequence.HasData && !reader.HasData && r.Sign > 0 && s.Sign > 0;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    public static bool IsLowS(BigInteger s) => s <= P256Order >> 1;

    /// <summary>Verifies a creator's signature over the message; throws PermissionDenied "access denied" if it fails.</summary>
    public static string VerifySignature(ByteString creator, ReadOnlySpan<byte> message, ByteString signature, IReadOnlySet<string> trustedCertificates, string what)
    {
        SerializedIdentity identity;
        X509Certificate2 certificate;
        try
        {
            identity = SerializedIdentity.Parser.ParseFrom(creator);
            certificate = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(identity.IdBytes.Span));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or CryptographicException)
        {
            throw Denied($"{what}: creator is not a serialized X.509 identity ({ex.Message})");
        }

        using (certificate)
        {
            if (!trustedCertificates.Contains(certificate.Thumbprint))
            {
                throw Denied($"{what}: creator certificate of {identity.Mspid} is not issued by a known MSP");
            }

            if (!TryDecodeDer(signature.Span, out _, out var s))
            {
                throw Denied($"{what}: signature is not ASN.1 DER");
            }

            if (!IsLowS(s))
            {
                throw Denied($"{what}: signature has a high S value");
            }

            using var key = certificate.GetECDsaPublicKey() ?? throw Denied($"{what}: creator key is not ECDSA");
            if (!key.VerifyData(message, signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                throw Denied($"{what}: signature does not verify");
            }
        }

        return identity.Mspid;
    }

    /// <summary>Checks a signed proposal as an endorsing peer does and returns its content.</summary>
    public static CheckedProposal CheckProposal(
        SignedProposal signed, string requestChannel, string requestTransactionId, IReadOnlySet<string> trustedCertificates, DateTimeOffset now)
    {
        var proposal = Parse(Protos.Peer.Proposal.Parser, signed.ProposalBytes, "proposal");
        var header = Parse(Header.Parser, proposal.Header, "header");
        var channelHeader = Parse(ChannelHeader.Parser, header.ChannelHeader, "channel header");
        var signatureHeader = Parse(SignatureHeader.Parser, header.SignatureHeader, "signature header");

        var mspId = VerifySignature(signatureHeader.Creator, signed.ProposalBytes.Span, signed.Signature, trustedCertificates, "proposal");

        Require(channelHeader.Type == (int)HeaderType.EndorserTransaction, $"invalid header type {channelHeader.Type}");
        Require(channelHeader.ChannelId == requestChannel, $"channel header says '{channelHeader.ChannelId}', request says '{requestChannel}'");
        Require(channelHeader.Epoch == 0, $"epoch {channelHeader.Epoch}");
        Require(signatureHeader.Nonce.Length == 24, $"nonce of {signatureHeader.Nonce.Length} bytes");
        var expectedId = Convert.ToHexStringLower(SHA256.HashData([.. signatureHeader.Nonce.Span, .. signatureHeader.Creator.Span]));
        Require(channelHeader.TxId == expectedId, $"invalid txID. got [{channelHeader.TxId}], expected [{expectedId}]");
        Require(requestTransactionId == channelHeader.TxId, $"request tx id {requestTransactionId} differs from header {channelHeader.TxId}");
        Require(channelHeader.Timestamp is not null, "no timestamp");
        var skew = (channelHeader.Timestamp!.ToDateTimeOffset() - now).Duration();
        Require(skew <= TimestampWindow, $"timestamp is {skew} away from the peer's clock");

        var extension = Parse(ChaincodeHeaderExtension.Parser, channelHeader.Extension, "chaincode header extension");
        var payload = Parse(ChaincodeProposalPayload.Parser, proposal.Payload, "chaincode proposal payload");
        var invocation = Parse(ChaincodeInvocationSpec.Parser, payload.Input, "chaincode invocation spec");
        var spec = invocation.ChaincodeSpec;
        Require(spec?.ChaincodeId is not null && spec.Input is not null, "no chaincode spec");
        Require(spec!.ChaincodeId!.Name == extension.ChaincodeId?.Name, "chaincode name differs between header and payload");
        Require(spec.Input!.Args.Count >= 1, "no function name");

        var input = spec.Input!;
        return new CheckedProposal(
            channelHeader.TxId,
            channelHeader.ChannelId,
            mspId,
            spec.ChaincodeId.Name,
            input.Args[0].ToStringUtf8(),
            [.. input.Args.Skip(1).Select(a => a.ToByteArray())],
            payload.TransientMap.ToDictionary(kv => kv.Key, kv => kv.Value.ToByteArray()),
            proposal.Header,
            header.SignatureHeader,
            signed.ProposalBytes,
            new ChaincodeProposalPayload { Input = payload.Input }.ToByteString());
    }

    public static T Parse<T>(MessageParser<T> parser, ByteString bytes, string what)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"failed to unmarshal {what}: {ex.Message}"));
        }
    }

    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, message));
        }
    }

    private static RpcException Denied(string reason) =>
        new(new Status(StatusCode.PermissionDenied, "access denied"), new Grpc.Core.Metadata { { "x-reason", reason } });
}
