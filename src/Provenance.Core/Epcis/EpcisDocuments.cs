using System.Text.Json.Nodes;

namespace Provenance.Core.Epcis;

/// <summary>EPCIS 2.0 documents around events: the capture/export form and the query-result form. Pure.</summary>
public static class EpcisDocuments
{
    public const string StandardContext = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>An <c>EPCISDocument</c> (what a file export or a capture holds).</summary>
    public static JsonObject Document(IEnumerable<JsonObject> events, IReadOnlyDictionary<string, string> prefixes, DateTimeOffset createdAt) => new()
    {
        ["@context"] = Context(prefixes),
        ["type"] = "EPCISDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = EpcisEvent.Time(createdAt),
        ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray([.. events.Select(e => (JsonNode)e.DeepClone())]) },
    };

    /// <summary>An <c>EPCISQueryDocument</c> (what the query interface answers).</summary>
    public static JsonObject QueryDocument(IEnumerable<JsonObject> events, IReadOnlyDictionary<string, string> prefixes, DateTimeOffset createdAt) => new()
    {
        ["@context"] = Context(prefixes),
        ["type"] = "EPCISQueryDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = EpcisEvent.Time(createdAt),
        ["epcisBody"] = new JsonObject
        {
            ["queryResults"] = new JsonObject
            {
                ["queryName"] = "SimpleEventQuery",
                ["resultsBody"] = new JsonObject { ["eventList"] = new JsonArray([.. events.Select(e => (JsonNode)e.DeepClone())]) },
            },
        },
    };

    /// <summary>The standard context followed by one object declaring the extension prefixes used.</summary>
    public static JsonArray Context(IReadOnlyDictionary<string, string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var context = new JsonArray { StandardContext };
        if (prefixes.Count > 0)
        {
            var declared = new JsonObject();
            foreach (var (prefix, ns) in prefixes.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                declared[prefix] = ns;
            }

            context.Add(declared);
        }

        return context;
    }

    /// <summary>The prefix declarations of a document's <c>@context</c> (string entries are the standard context and carry none).</summary>
    public static Dictionary<string, string> Prefixes(JsonNode? context)
    {
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in context is JsonArray array ? [.. array] : new[] { context })
        {
            if (entry is JsonObject obj)
            {
                foreach (var (prefix, value) in obj)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var ns))
                    {
                        prefixes[prefix] = ns;
                    }
                }
            }
        }

        return prefixes;
    }
}
