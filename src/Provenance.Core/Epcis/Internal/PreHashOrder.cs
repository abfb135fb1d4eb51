using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provenance.Core.Epcis.Internal;

/// <summary>
/// The structural part of the CBV 2.0 event hash: which fields come in which order, how lists and nested elements
/// are written, and how extension fields are collected and sorted. Pure.
/// </summary>
internal static class PreHashOrder
{
    public static readonly string[] Event =
    [
        "type", "eventTime", "eventTimeZoneOffset", "certificationInfo", "epcList", "parentID", "inputEPCList", "childEPCs", "quantityList",
        "childQuantityList", "inputQuantityList", "outputEPCList", "outputQuantityList", "action", "transformationID", "bizStep", "disposition",
        "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList", "ilmd",
    ];

    private static readonly string[] Quantity = ["epcClass", "quantity", "uom"];
    private static readonly string[] Id = ["id"];
    private static readonly string[] BizTransaction = ["type", "bizTransaction"];
    private static readonly string[] Source = ["type", "source"];
    private static readonly string[] Destination = ["type", "destination"];
    private static readonly string[] SensorElement = ["sensorMetadata", "sensorReport"];
    private static readonly string[] SensorMetadata = ["time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"];
    private static readonly string[] PersistentDisposition = ["set", "unset"];

    private static readonly string[] SensorReport =
    [
        "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time", "microorganism", "chemicalSubstance", "value",
        "component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
        "percValue", "uom", "coordinateReferenceSystem",
    ];

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "recordTime", "eventID", "errorDeclaration", "@context" };

    public static string Sorted(IEnumerable<string> strings)
    {
        var list = strings.ToList();
        list.Sort(StringComparer.Ordinal);
        return string.Concat(list);
    }

    public static (string Text, List<string> Custom) Ordered(JsonObject obj, IReadOnlyDictionary<string, string> context, string[] order, bool nested = true)
    {
        var sb = new StringBuilder();
        var custom = new List<string>();
        foreach (var key in order)
        {
            if (!obj.TryGetPropertyValue(key, out var value) || value is null)
            {
                continue;
            }

            if (value is JsonArray array)
            {
                var (text, extra) = List(array, context, key);
                sb.Append(text);
                custom.AddRange(extra);
                continue;
            }

            switch (key)
            {
                case "type":
                    sb.Append(EpcisEventHash.Field(nested ? "type" : "eventType", value));
                    break;
                case "readPoint" or "bizLocation" or "sensorMetadata":
                    var (inner, innerCustom) = Ordered(value.AsObject(), context, key == "sensorMetadata" ? SensorMetadata : Id);
                    sb.Append(key).Append(inner);
                    if (innerCustom.Count > 0)
                    {
                        custom.Add(key + Sorted(innerCustom));
                    }

                    break;
                case "persistentDisposition":
                    sb.Append(key).Append(Ordered(value.AsObject(), context, PersistentDisposition).Text);
                    break;
                case "ilmd":
                    sb.Append("ilmd").Append(Children(value.AsObject(), context));
                    break;
                case "bizStep":
                    sb.Append(EpcisEventHash.Field(key, Expand(value, Cbv.AllBizSteps, Cbv.Base + "BizStep-")));
                    break;
                case "disposition":
                    sb.Append(EpcisEventHash.Field(key, Expand(value, Cbv.AllDispositions, Cbv.Base + "Disp-")));
                    break;
                default:
                    sb.Append(EpcisEventHash.Field(key, value));
                    break;
            }
        }

        foreach (var (key, value) in obj)
        {
            if (!order.Contains(key) && !Ignored.Contains(key))
            {
                custom.Add(CustomField(key, value, context));
            }
        }

        return (sb.ToString(), custom);
    }

    private static (string Text, List<string> Custom) List(JsonArray list, IReadOnlyDictionary<string, string> context, string field)
    {
        var strings = new List<string>();
        var custom = new List<string>();
        if (list.Count == 0)
        {
            return (string.Empty, custom);
        }

        var prefix = field;
        switch (field)
        {
            case "epcList" or "childEPCs" or "outputEPCList" or "inputEPCList":
                strings.AddRange(list.Select(e => EpcisEventHash.Field("epc", e)));
                break;
            case "set" or "unset":
                prefix = string.Empty;
                strings.AddRange(list.Select(e => EpcisEventHash.Field(field, Expand(e, Cbv.AllDispositions, Cbv.Base + "Disp-"))));
                break;
            case "quantityList" or "childQuantityList" or "inputQuantityList" or "outputQuantityList":
                foreach (var e in list.OfType<JsonObject>())
                {
                    var (text, extra) = Ordered(e, context, Quantity);
                    strings.Add("quantityElement" + text);
                    custom.AddRange(extra.Select(x => "quantityElement" + x));
                }

                break;
            case "bizTransactionList" or "sourceList" or "destinationList":
                var (order, expansion, vocabulary, name) = field switch
                {
                    "bizTransactionList" => (BizTransaction, "BTT-", Cbv.BusinessTransactionTypes, "bizTransaction"),
                    "sourceList" => (Source, "SDT-", Cbv.SourceDestinationTypes, "source"),
                    _ => (Destination, "SDT-", Cbv.SourceDestinationTypes, "destination"),
                };
                foreach (var e in list.OfType<JsonObject>())
                {
                    var copy = e.DeepClone().AsObject();
                    if (copy["type"] is { } type)
                    {
                        copy["type"] = Expand(type, vocabulary, Cbv.Base + expansion);
                    }

                    var (text, extra) = Ordered(copy, context, order);
                    strings.Add(text);
                    custom.AddRange(extra.Select(x => name + x));
                }

                break;
            case "sensorElementList":
                var local = new List<string>();
                foreach (var e in list.OfType<JsonObject>())
                {
                    var (text, extra) = Ordered(e, context, SensorElement);
                    strings.Add("sensorElement" + text);
                    if (extra.Count > 0)
                    {
                        local.Add("sensorElement" + Sorted(extra));
                    }
                }

                if (local.Count > 0)
                {
                    custom.Add("sensorElementList" + Sorted(local));
                }

                break;
            case "sensorReport":
                prefix = string.Empty;
                foreach (var e in list.OfType<JsonObject>())
                {
                    var copy = e.DeepClone().AsObject();
                    ExpandIn(copy, "type", Cbv.MeasurementTypes, "https://gs1.org/voc/");
                    ExpandIn(copy, "exception", Cbv.AlarmTypes, "https://gs1.org/voc/");
                    ExpandIn(copy, "component", Cbv.Components, Cbv.Base + "Comp-");
                    var (text, extra) = Ordered(copy, context, SensorReport);
                    strings.Add("sensorReport" + text);
                    if (extra.Count > 0)
                    {
                        custom.Add("sensorReport" + Sorted(extra));
                    }
                }

                break;
            default:
                custom.AddRange(list.Select(e => CustomField(field, e, context)));
                return (string.Empty, custom);
        }

        return (prefix + Sorted(strings), custom);
    }

    /// <summary>An extension field: <c>{namespace}name=value</c>, nested elements as the name followed by their sorted children.</summary>
    private static string CustomField(string key, JsonNode? value, IReadOnlyDictionary<string, string> context)
    {
        if (key == "rdfs:comment")
        {
            return string.Empty;
        }

        var field = key;
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var prefix = key[..colon];
            if (context.TryGetValue(prefix, out var ns))
            {
                field = "{" + ns + "}" + key[(colon + 1)..];
            }
        }
        else if (key.StartsWith('#'))
        {
            return "=" + EpcisEventHash.Scalar(value);
        }

        return value switch
        {
            JsonObject obj => field + Children(obj, context),
            JsonArray array => Sorted(array.Select(e => e is JsonObject o ? field + Children(o, context) : EpcisEventHash.Field(field, e))),
            _ => EpcisEventHash.Field(field, value),
        };
    }

    private static string Children(JsonObject obj, IReadOnlyDictionary<string, string> context) =>
        Sorted(obj.Select(p => CustomField(p.Key, p.Value, context)));

    private static JsonNode? Expand(JsonNode? value, HashSet<string> vocabulary, string uriPrefix) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && vocabulary.Contains(v.GetValue<string>()) ? JsonValue.Create(uriPrefix + v.GetValue<string>()) : value;

    private static void ExpandIn(JsonObject obj, string key, HashSet<string> vocabulary, string uriPrefix)
    {
        if (obj[key] is { } value)
        {
            obj[key] = Expand(value, vocabulary, uriPrefix)?.DeepClone();
        }
    }
}
