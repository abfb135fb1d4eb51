using System.Globalization;
using System.Text.Json;
using Provenance.Core.Gateways;
using Provenance.Core.Packaging;
using Provenance.Core.Records;
using Provenance.Ingestion.Internal;
using Provenance.Storage;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Packaging;

namespace Provenance.Ingestion;

/// <summary>
/// Pack messages: containers closed at a line. Each pack event is all or nothing: one bad child (a bottle code whose
/// MAC fails, an unissued bottle, a malformed container code) dead-letters the event and binds none of it; the
/// hierarchy's own rules (levels, cycles, one parent) are applied at commit, where a refusal is a <c>conflict</c>.
/// </summary>
public sealed partial class GatewayMessageProcessor
{
    /// <summary>The most children (bottles plus containers) one pack event may name: a full pallet of bottles.</summary>
    public const int MaxChildrenPerPack = 10_000;

    private IngestionUnit ProcessPack(VerifiedMessage verified)
    {
        var gateway = verified.Entry.Gateway!;
        if (!TryRead(verified, GatewayJsonContext.Default.PackMessage, m => (m.Version, m.GatewayId, m.SiteId, m.SentAt), out var message, out var refused))
        {
            return refused;
        }

        if (message.Packs is not { Count: > 0 } packs || packs.Count > _options.MaxEventsPerMessage)
        {
            return verified.Rejected(ReasonCodes.Malformed, $"a pack message carries 1..{_options.MaxEventsPerMessage} packs, this one {message.Packs?.Count.ToString(CultureInfo.InvariantCulture) ?? "none (null)"}");
        }

        var unit = verified.Unit();
        for (var i = 0; i < packs.Count; i++)
        {
            if (packs[i] is not { } pack)
            {
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, ReasonCodes.Malformed, $"pack {i} of the message is null", null));
                continue;
            }

            if (TryPrepare(pack, gateway, out var code, out var reason) is { } prepared)
            {
                unit.Packs.Add(prepared);
            }
            else
            {
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, code, reason, SealEventRules.IsPrintableAscii(pack.EventId, SealEventRules.MaxEventIdLength, false) ? pack.EventId : null));
            }
        }

        return unit;
    }

    private PackToStore? TryPrepare(PackEvent pack, Core.Registry.GatewayRegistration gateway, out string code, out string reason)
    {
        code = ReasonCodes.Malformed;
        if (!SealEventRules.IsPrintableAscii(pack.EventId, SealEventRules.MaxEventIdLength, allowSpace: false))
        {
            reason = $"pack event id must be 1..{SealEventRules.MaxEventIdLength} printable ASCII characters without spaces";
            return null;
        }

        var bottles = pack.Bottles ?? [];
        var containers = pack.Containers ?? [];
        reason = (pack, bottles.Count + containers.Count) switch
        {
            _ when !Identifier.IsValid(pack.Line) => $"pack {pack.EventId}: line is not a valid id (1–64 characters a–z, 0–9, '-', '_')",
            _ when !PackagingLevels.TryParse(pack.Level, out _) => $"pack {pack.EventId}: level must be {PackagingLevels.Names}",
            _ when pack.Sequence < 0 => $"pack {pack.EventId}: sequence number must not be negative",
            (_, 0 or > MaxChildrenPerPack) => $"pack {pack.EventId}: a pack names 1..{MaxChildrenPerPack} bottles and containers",
            _ when !ContainerCode.TryParse(pack.Container, out _, out var error) => $"pack {pack.EventId}: container: {error}",
            _ => string.Empty,
        };
        if (reason.Length > 0 || !_clock.TryCheck(pack.PackedAt, $"pack {pack.EventId}: packedAt", out code, out reason))
        {
            return null;
        }

        PackagingLevels.TryParse(pack.Level, out var level);
        ContainerCode.TryParse(pack.Container, out var container, out _);
        var childCodes = new List<string>(containers.Count);
        foreach (var child in containers)
        {
            if (!ContainerCode.TryParse(child, out var childCode, out var error))
            {
                (code, reason) = (ReasonCodes.Malformed, $"pack {pack.EventId}: {error}");
                return null;
            }

            childCodes.Add(childCode);
        }

        var keys = new List<TagKey>(bottles.Count);
        foreach (var tag in bottles)
        {
            if (tag is null || tag.Length > SealEventRules.MaxTagLength || !_events.TryResolveTag(tag, out var gtin, out var serial, out code, out reason))
            {
                (code, reason) = tag is null || tag.Length > SealEventRules.MaxTagLength ? (ReasonCodes.Malformed, "a bottle code is null or too long") : (code, reason);
                reason = $"pack {pack.EventId}: {reason}; nothing of this pack was bound";
                return null;
            }

            keys.Add(new TagKey(gtin, serial));
        }

        var issued = _tags.FindMany(keys.Select(k => (k.Gtin, k.Serial)));
        if (keys.Where(k => !issued.ContainsKey((k.Gtin, k.Serial))).Select(k => (TagKey?)k).FirstOrDefault() is { } unknown)
        {
            (code, reason) = (ReasonCodes.UnknownTag, $"pack {pack.EventId}: bottle {unknown.Gtin}/{unknown.Serial} was never issued; nothing of this pack was bound");
            return null;
        }

        var record = new PackRecord
        {
            EventId = pack.EventId,
            GatewayId = gateway.Id,
            GatewayKeyFingerprint = gateway.KeyFingerprint,
            SiteId = gateway.SiteId,
            Line = pack.Line,
            PackedAt = pack.PackedAt,
            Level = PackagingLevels.Name(level),
            Container = container,
            Bottles = [.. keys.Select(k => new PackedBottle(k.Gtin, k.Serial))],
            Containers = childCodes,
            Sequence = pack.Sequence,
        };
        code = reason = string.Empty;
        return new PackToStore(pack.EventId, new ContainerPacking(container, level, keys, childCodes), JsonSerializer.Serialize(record, RecordJsonContext.Default.PackRecord));
    }
}
