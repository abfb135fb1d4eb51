using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Epcis;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Epcis;

/// <summary>How stored events leave the repository (query answers and file exports alike).</summary>
public static class EpcisRendering
{
    /// <summary>A stored event as the repository answers it: the recorded JSON plus <c>recordTime</c>.</summary>
    public static JsonObject Render(StoredEpcisEvent stored) => Render(stored, null);

    /// <summary>
    /// A stored event for a document whose <c>@context</c> declares <paramref name="documentPrefixes"/>: when the event
    /// uses a prefix for another namespace (partners choose their own), it carries its own <c>@context</c>.
    /// </summary>
    public static JsonObject Render(StoredEpcisEvent stored, IReadOnlyDictionary<string, string>? documentPrefixes)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var json = JsonNode.Parse(stored.Json)!.AsObject();
        json["recordTime"] = EpcisEvent.Time(stored.RecordTime);
        var own = Own(stored);
        if (documentPrefixes is not null && own.Any(p => documentPrefixes.TryGetValue(p.Key, out var ns) && ns != p.Value))
        {
            var context = new JsonObject();
            foreach (var (prefix, ns) in own)
            {
                context[prefix] = ns;
            }

            var withContext = new JsonObject { ["@context"] = context };
            foreach (var (key, value) in json)
            {
                withContext[key] = value?.DeepClone();
            }

            return withContext;
        }

        return json;
    }

    /// <summary>The extension prefixes a set of events needs declared (ours first; the first declaration of a prefix wins).</summary>
    public static Dictionary<string, string> Prefixes(IEnumerable<StoredEpcisEvent> events, IReadOnlyDictionary<string, string>? ours = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var prefixes = new Dictionary<string, string>(ours ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var e in events)
        {
            foreach (var (prefix, ns) in Own(e))
            {
                prefixes.TryAdd(prefix, ns);
            }
        }

        return prefixes;
    }

    /// <summary>A stored events' documents: <c>@context</c> prefixes, and each event rendered against them.</summary>
    public static (Dictionary<string, string> Prefixes, List<JsonObject> Events) ForDocument(IReadOnlyList<StoredEpcisEvent> events, IReadOnlyDictionary<string, string>? ours = null)
    {
        var prefixes = Prefixes(events, ours);
        return (prefixes, [.. events.Select(e => Render(e, prefixes))]);
    }

    private static Dictionary<string, string> Own(StoredEpcisEvent stored) =>
        stored.PrefixesJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(stored.PrefixesJson) ?? [];
}
