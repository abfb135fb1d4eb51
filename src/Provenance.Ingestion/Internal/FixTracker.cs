using System.Text.Json;
using Provenance.Core.Origin;
using Provenance.Core.Records;

namespace Provenance.Ingestion.Internal;

/// <summary>Each gateway's recent fixes, oldest first, for attestation. Used from the single ingestion loop only.</summary>
internal sealed class FixTracker(int history)
{
    private readonly Dictionary<string, List<GnssFix>> _fixes = new(StringComparer.Ordinal);

    public IReadOnlyList<GnssFix> Recent(string gatewayId) =>
        _fixes.TryGetValue(gatewayId, out var list) ? list : [];

    public void Add(string gatewayId, GnssFix fix)
    {
        if (!_fixes.TryGetValue(gatewayId, out var list))
        {
            _fixes[gatewayId] = list = [];
        }

        // Fixes arrive in order per gateway; a stale or repeated epoch (redelivery) must not rewind the history.
        if (list.Count > 0 && fix.Time <= list[^1].Time)
        {
            return;
        }

        list.Add(fix);
        if (list.Count > history)
        {
            list.RemoveRange(0, list.Count - history);
        }
    }

    public string Serialize(string gatewayId) => JsonSerializer.Serialize(_fixes[gatewayId], RecordJsonContext.Default.ListGnssFix);

    /// <summary>Adds the fixes of a persisted history that are newer than ours, in time order.</summary>
    public void Merge(string gatewayId, string json)
    {
        foreach (var fix in (JsonSerializer.Deserialize(json, RecordJsonContext.Default.ListGnssFix) ?? []).OrderBy(f => f.Time))
        {
            Add(gatewayId, fix);
        }
    }

    public void Load(IReadOnlyDictionary<string, string> histories)
    {
        _fixes.Clear();
        foreach (var (gateway, json) in histories)
        {
            _fixes[gateway] = JsonSerializer.Deserialize(json, RecordJsonContext.Default.ListGnssFix) ?? [];
        }
    }
}
