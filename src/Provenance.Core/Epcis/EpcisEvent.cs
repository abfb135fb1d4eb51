using System.Globalization;
using System.Text.Json.Nodes;

namespace Provenance.Core.Epcis;

/// <summary>
/// Builds one EPCIS 2.0 event as JSON in the standard's field order; <see cref="Seal"/> adds its CBV 2.0 hash as
/// <c>eventID</c>. Not thread-safe (a builder).
/// </summary>
public sealed class EpcisEvent
{
    public const string ObjectEvent = "ObjectEvent";
    public const string AggregationEvent = "AggregationEvent";

    private readonly JsonObject _json = [];

    private EpcisEvent(string type, DateTimeOffset eventTime, string timeZoneOffset)
    {
        _json["type"] = type;
        _json["eventTime"] = Time(eventTime);
        _json["eventTimeZoneOffset"] = timeZoneOffset;
    }

    public static EpcisEvent Create(string type, DateTimeOffset eventTime, string timeZoneOffset = "+00:00") => new(type, eventTime, timeZoneOffset);

    /// <summary>A time as EPCIS writes it here: UTC, milliseconds.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public EpcisEvent Epcs(string field, IEnumerable<Epc> epcs)
    {
        _json[field] = new JsonArray([.. epcs.Select(e => (JsonNode)JsonValue.Create(e.Uri))]);
        return this;
    }

    public EpcisEvent Set(string field, JsonNode? value)
    {
        if (value is not null)
        {
            _json[field] = value;
        }

        return this;
    }

    public EpcisEvent Set(string field, string? value) => value is null ? this : Set(field, JsonValue.Create(value));

    public EpcisEvent Where(string field, string? id) => id is null ? this : Set(field, new JsonObject { ["id"] = id });

    public EpcisEvent Party(string listField, string entryField, string type, string uri)
    {
        if (_json[listField] is not JsonArray list)
        {
            _json[listField] = list = [];
        }

        list.Add(new JsonObject { ["type"] = type, [entryField] = uri });
        return this;
    }

    public EpcisEvent Transaction(string type, string uri)
    {
        if (_json["bizTransactionList"] is not JsonArray list)
        {
            _json["bizTransactionList"] = list = [];
        }

        list.Add(new JsonObject { ["type"] = type, ["bizTransaction"] = uri });
        return this;
    }

    /// <summary>The finished event with its <c>eventID</c> (the CBV 2.0 hash) right after <c>type</c>.</summary>
    public JsonObject Seal(IReadOnlyDictionary<string, string> prefixes)
    {
        var id = EpcisEventHash.Compute(_json, prefixes);
        var sealedEvent = new JsonObject { ["type"] = _json["type"]!.DeepClone(), ["eventID"] = id };
        foreach (var (key, value) in _json)
        {
            if (key != "type")
            {
                sealedEvent[key] = value?.DeepClone();
            }
        }

        return sealedEvent;
    }
}
