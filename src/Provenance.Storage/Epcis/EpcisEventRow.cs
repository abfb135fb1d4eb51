using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Epcis;

namespace Provenance.Storage.Epcis;

/// <summary>
/// One EPCIS event as stored: the event JSON (without <c>recordTime</c>, which the repository adds when it answers),
/// the columns queries filter on, the EPCs it names (canonical Digital Link) for <c>MATCH_anyEPC</c>, and who may see
/// it. Immutable.
/// </summary>
/// <param name="EventId">The event id (ours are the CBV 2.0 hash; captured events keep the sender's).</param>
/// <param name="EventType">ObjectEvent, AggregationEvent, …</param>
/// <param name="BizStep">The full bizStep URI.</param>
/// <param name="Action">ADD, OBSERVE or DELETE.</param>
/// <param name="Disposition">The disposition as written in the event.</param>
/// <param name="EventTime">When it happened.</param>
/// <param name="BizLocation">The business location id.</param>
/// <param name="ParentId">The parent (canonical), for aggregations.</param>
/// <param name="Epcs">Every EPC and EPC class it names (canonical).</param>
/// <param name="ContentHash">The CBV 2.0 hash of the content, to tell a repeated capture from a different event under the same id.</param>
/// <param name="DistributorId">The distributor the event concerns (it may query it), or null.</param>
/// <param name="BatchId">For commissioning events: the batch whose tags they commission (their EPCs are not indexed one by one).</param>
/// <param name="Source">Who produced it: <c>producer</c>, <c>ingestion</c>, or <c>capture:{api key id}</c>.</param>
/// <param name="Json">The event JSON.</param>
/// <param name="PrefixesJson">The extension prefixes the event uses, as a JSON object, or null.</param>
public sealed record EpcisEventRow(
    string EventId,
    string EventType,
    string? BizStep,
    string? Action,
    string? Disposition,
    DateTimeOffset EventTime,
    string? BizLocation,
    string? ParentId,
    IReadOnlyList<string> Epcs,
    string? DistributorId,
    long? BatchId,
    string Source,
    string ContentHash,
    string Json,
    string? PrefixesJson)
{
    /// <summary>Reads the indexed columns out of an event (its <c>eventID</c> must be set).</summary>
    public static EpcisEventRow FromEvent(JsonObject @event, IReadOnlyDictionary<string, string> prefixes, string source, string? distributorId = null, long? batchId = null) =>
        Read(@event, prefixes, source, distributorId, batchId, contentHash: null);

    /// <summary>
    /// As <see cref="FromEvent"/>, for an event this node built and sealed (<c>EpcisEvent.Seal</c>) with the same
    /// <paramref name="prefixes"/> and did not change since: its <c>eventID</c> is already the CBV 2.0 hash of its
    /// content (the hash leaves <c>eventID</c> out), so it is not computed a second time.
    /// </summary>
    public static EpcisEventRow FromSealedEvent(JsonObject sealedEvent, IReadOnlyDictionary<string, string> prefixes, string source) =>
        Read(sealedEvent, prefixes, source, distributorId: null, batchId: null, contentHash: Text(sealedEvent?["eventID"]));

    private static EpcisEventRow Read(JsonObject @event, IReadOnlyDictionary<string, string> prefixes, string source, string? distributorId, long? batchId, string? contentHash)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(prefixes);
        var eventId = Text(@event["eventID"]) ?? throw new ArgumentException("the event has no eventID", nameof(@event));
        var epcs = new List<string>();
        if (batchId is null)
        {
            foreach (var field in new[] { "epcList", "childEPCs", "inputEPCList", "outputEPCList" })
            {
                epcs.AddRange((@event[field] as JsonArray ?? []).Select(Text).OfType<string>().Select(Canonical));
            }

            foreach (var field in new[] { "quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList" })
            {
                epcs.AddRange((@event[field] as JsonArray ?? []).Select(q => Text(q?["epcClass"])).OfType<string>().Select(Canonical));
            }
        }

        var parent = Text(@event["parentID"]) is { } p ? Canonical(p) : null;
        if (parent is not null)
        {
            epcs.Add(parent);
        }

        var time = DateTimeOffset.Parse(Text(@event["eventTime"]) ?? throw new ArgumentException("the event has no eventTime", nameof(@event)), System.Globalization.CultureInfo.InvariantCulture);
        return new EpcisEventRow(
            eventId, Text(@event["type"]) ?? "ObjectEvent", Text(@event["bizStep"]) is { } step ? Cbv.BizStepUri(step) : null, Text(@event["action"]),
            Text(@event["disposition"]), time, Text(@event["bizLocation"]?["id"]), parent, [.. epcs.Distinct(StringComparer.Ordinal)],
            distributorId, batchId, source, contentHash ?? EpcisEventHash.Compute(@event, prefixes), @event.ToJsonString(),
            prefixes.Count == 0 ? null : JsonSerializer.Serialize(prefixes));
    }

    /// <summary>An EPC as the index keeps it: canonical Digital Link when it is one of ours, else the URI unchanged.</summary>
    public static string Canonical(string uri) => Epc.TryParse(uri, out var epc, out _) ? epc!.Uri : uri.Trim();

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
