using Provenance.Core.Epcis;
using Provenance.Core.Origin;
using Provenance.Core.Records;
using Provenance.Storage.Epcis;

namespace Provenance.Storage.Tests;

/// <summary>
/// The EPCIS seal projection stores the events it builds with <see cref="EpcisEventRow.FromSealedEvent"/>, which takes the
/// sealed event's id as its content hash instead of hashing it again: the row must be the one the full computation gives.
/// </summary>
public sealed class EpcisSealedEventRowTests
{
    private static readonly LifecycleEvents Epcis = new(new EpcisNames("id.example.com"), "+08:00");

    public static TheoryData<string> Shapes => ["attested", "failed", "no-fix"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_sealing_event_row_is_the_fully_computed_row(string shape)
    {
        var sealedEvent = Epcis.Sealing(Record(shape));

        var full = EpcisEventRow.FromEvent(sealedEvent, Epcis.Names.Prefixes, "ingestion");
        var shortcut = EpcisEventRow.FromSealedEvent(sealedEvent, Epcis.Names.Prefixes, "ingestion");

        Assert.Equal(full.ContentHash, shortcut.ContentHash);
        Assert.Equal(full with { Epcs = shortcut.Epcs }, shortcut);
        Assert.Equal(full.Epcs, shortcut.Epcs);
    }

    [Fact]
    public void A_packing_event_row_is_the_fully_computed_row()
    {
        var packing = Epcis.Packing(
            DateTimeOffset.Parse("2026-11-30T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Epc.ForBottle("06901234567892", "CASE-1"), [Epc.ForBottle("06901234567892", "A1"), Epc.ForBottle("06901234567892", "A2")], "maotai-1", "L2");

        var full = EpcisEventRow.FromEvent(packing, Epcis.Names.Prefixes, "ingestion");
        var shortcut = EpcisEventRow.FromSealedEvent(packing, Epcis.Names.Prefixes, "ingestion");

        Assert.Equal(full.ContentHash, shortcut.ContentHash);
        Assert.Equal(full.Json, shortcut.Json);
    }

    [Fact]
    public void An_event_changed_after_sealing_is_not_what_the_shortcut_is_for()
    {
        // The shortcut trusts the id; the full computation sees the change. This is why only the projector, which stores
        // the events exactly as sealed, uses it.
        var sealedEvent = Epcis.Sealing(Record("attested"));
        sealedEvent["disposition"] = "urn:epcglobal:cbv:disp:destroyed";

        Assert.NotEqual(
            EpcisEventRow.FromEvent(sealedEvent, Epcis.Names.Prefixes, "ingestion").ContentHash,
            EpcisEventRow.FromSealedEvent(sealedEvent, Epcis.Names.Prefixes, "ingestion").ContentHash);
    }

    private static ProvenanceRecord Record(string shape)
    {
        var sealedAt = DateTimeOffset.Parse("2026-11-30T08:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture);
        var attestation = shape switch
        {
            "attested" => new OriginAttestation { Attested = true, Failures = [], FixTime = sealedAt.AddSeconds(-1), Latitude = 27.8437, Longitude = 106.3864 },
            "failed" => new OriginAttestation { Attested = false, Failures = ["outside_geofence", "stale_fix"], FixTime = sealedAt.AddSeconds(-90), Latitude = 23.1, Longitude = 113.3 },
            _ => new OriginAttestation { Attested = false, Failures = ["no_fix"] },
        };
        return new ProvenanceRecord
        {
            EventId = "evt-" + shape,
            Gtin = "06901234567892",
            Serial = "S" + shape,
            GatewayId = "gw-1",
            GatewayKeyFingerprint = "sha256:00",
            SiteId = "maotai-1",
            Line = "L2",
            SealedAt = sealedAt,
            SealType = "capsule",
            Sequence = 7,
            Attestation = attestation,
        };
    }
}
