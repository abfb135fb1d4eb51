using System.Text.Json;
using Provenance.Core.Origin;
using Provenance.Core.Records;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.Tests.Support;

/// <summary>Seals committed straight through <see cref="IngestionWriter"/>, so that they are in the journal for a sink to take.</summary>
internal static class JournalSeals
{
    /// <summary>Commits <paramref name="seals"/> as one message of gateway <c>g1</c> at site <c>s1</c>.</summary>
    public static void Commit(IngestionWriter writer, params SealToStore[] seals)
    {
        var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/seal", GatewayId = "g1", SourceGatewayId = "g1", Jws = "h.p.s" };
        unit.Seals.AddRange(seals);
        writer.Commit([unit]);
    }

    /// <summary>An unattested seal of gateway <c>g1</c> on <c>line-1</c> with <paramref name="eventId"/> as its serial too.</summary>
    public static SealToStore Seal(string eventId, DateTimeOffset sealedAt)
    {
        var attestation = new OriginAttestation { Attested = false, Failures = ["no_fix"] };
        var record = new ProvenanceRecord
        {
            EventId = eventId, Gtin = "09506000134352", Serial = eventId.ToUpperInvariant(), GatewayId = "g1", GatewayKeyFingerprint = "fp", SiteId = "s1",
            Line = "line-1", SealedAt = sealedAt, SealType = "capsule", Sequence = 1, Attestation = attestation,
        };
        return new SealToStore(eventId, record.Gtin, record.Serial, "g1", "s1", "line-1", sealedAt, "capsule", null, 1, false,
            JsonSerializer.Serialize(attestation, RecordJsonContext.Default.OriginAttestation), System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(eventId)),
            JsonSerializer.Serialize(record, RecordJsonContext.Default.ProvenanceRecord));
    }
}
