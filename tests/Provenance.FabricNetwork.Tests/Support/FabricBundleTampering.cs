using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using FabricProtos = Provenance.Fabric.Protos;

namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>
/// Changes a dishonest server could make to the Fabric part of a proof bundle, made at the protobuf level so that what
/// is changed still parses and only the targeted check has reason to fail first.
/// </summary>
internal static class FabricBundleTampering
{
    public static JsonObject Fabric(JsonObject bundle) => bundle["ledger"]!["fabric"]!.AsObject();

    /// <summary>Replaces an ASCII text by another of the same length inside the envelope's payload (lengths stay valid).</summary>
    public static void ReplaceInPayload(JsonObject bundle, string text, string replacement)
    {
        var envelope = Envelope(bundle);
        var payload = envelope.Payload.ToByteArray();
        var from = Encoding.ASCII.GetBytes(text);
        var at = payload.AsSpan().IndexOf(from);
        Assert.True(at >= 0, $"'{text}' is not in the envelope's payload");
        Encoding.ASCII.GetBytes(replacement).CopyTo(payload, at);
        envelope.Payload = ByteString.CopyFrom(payload);
        SetEnvelope(bundle, envelope);
    }

    /// <summary>The creator's signature with one byte inside its r value changed (still DER).</summary>
    public static void FlipCreatorSignature(JsonObject bundle)
    {
        var envelope = Envelope(bundle);
        envelope.Signature = Flip(envelope.Signature);
        SetEnvelope(bundle, envelope);
    }

    /// <summary>The first endorsement's signature with one byte of its r value changed.</summary>
    public static void FlipEndorsementSignature(JsonObject bundle) =>
        EditEndorsement(bundle, (_, e) => e.Signature = Flip(e.Signature));

    /// <summary>
    /// The first endorsement replaced by one that verifies, made by a peer certificate of a CA nobody gave (same MSP id,
    /// same OU=peer): only anchoring can tell.
    /// </summary>
    public static void EndorseByForeignCa(JsonObject bundle) =>
        EditEndorsement(bundle, (action, e) =>
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=ca.producer.example.com, O=producer.example.com", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            using var peerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var peerRequest = new CertificateRequest("CN=peer0.producer.example.com, OU=peer", peerKey, HashAlgorithmName.SHA256);
            using var peer = peerRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(1), [1, 2, 3, 4]);
            var endorser = new FabricProtos.Msp.SerializedIdentity
            {
                Mspid = FabricProtos.Msp.SerializedIdentity.Parser.ParseFrom(e.Endorser).Mspid,
                IdBytes = ByteString.CopyFromUtf8(peer.ExportCertificatePem() + "\n"),
            }.ToByteString();
            byte[] signed = [.. action.ProposalResponsePayload.Span, .. endorser.Span];
            e.Endorser = endorser;
            e.Signature = ByteString.CopyFrom(peerKey.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        });

    /// <summary>The transaction's validation code set to MVCC_READ_CONFLICT (11).</summary>
    public static void MarkInvalid(JsonObject bundle)
    {
        var fabric = Fabric(bundle);
        var filter = Convert.FromHexString(fabric["transactionsFilter"]!.GetValue<string>());
        filter[fabric["transactionIndex"]!.GetValue<int>()] = 11;
        fabric["transactionsFilter"] = Convert.ToHexStringLower(filter);
    }

    /// <summary>The block header's data hash with one byte changed.</summary>
    public static void ChangeDataHash(JsonObject bundle)
    {
        var fabric = Fabric(bundle);
        var header = FabricProtos.Common.BlockHeader.Parser.ParseFrom(Convert.FromHexString(fabric["blockHeader"]!.GetValue<string>()));
        header.DataHash = Flip(header.DataHash);
        fabric["blockHeader"] = Convert.ToHexStringLower(header.ToByteArray());
    }

    /// <summary>The orderer's block signature with one byte of its r value changed.</summary>
    public static void FlipOrdererSignature(JsonObject bundle)
    {
        var fabric = Fabric(bundle);
        var metadata = FabricProtos.Common.Metadata.Parser.ParseFrom(Convert.FromHexString(fabric["blockSignatures"]!.GetValue<string>()));
        metadata.Signatures[0].Signature = Flip(metadata.Signatures[0].Signature);
        fabric["blockSignatures"] = Convert.ToHexStringLower(metadata.ToByteArray());
    }

    private static void EditEndorsement(JsonObject bundle, Action<FabricProtos.Peer.ChaincodeEndorsedAction, FabricProtos.Peer.Endorsement> edit)
    {
        var envelope = Envelope(bundle);
        var payload = FabricProtos.Common.Payload.Parser.ParseFrom(envelope.Payload);
        var transaction = FabricProtos.Peer.Transaction.Parser.ParseFrom(payload.Data);
        var actionPayload = FabricProtos.Peer.ChaincodeActionPayload.Parser.ParseFrom(transaction.Actions[0].Payload);
        edit(actionPayload.Action, actionPayload.Action.Endorsements[0]);
        transaction.Actions[0].Payload = actionPayload.ToByteString();
        payload.Data = transaction.ToByteString();
        envelope.Payload = payload.ToByteString();
        SetEnvelope(bundle, envelope);
    }

    private static FabricProtos.Common.Envelope Envelope(JsonObject bundle) =>
        FabricProtos.Common.Envelope.Parser.ParseFrom(Convert.FromHexString(Fabric(bundle)["envelope"]!.GetValue<string>()));

    private static void SetEnvelope(JsonObject bundle, FabricProtos.Common.Envelope envelope) =>
        Fabric(bundle)["envelope"] = Convert.ToHexStringLower(envelope.ToByteArray());

    /// <summary>A DER ECDSA signature (30 len 02 len r ...) with a byte in the middle of r changed.</summary>
    private static ByteString Flip(ByteString bytes)
    {
        var copy = bytes.ToByteArray();
        copy[10] ^= 0x01;
        return ByteString.CopyFrom(copy);
    }
}
