using System.Text.Json.Serialization;

namespace Provenance.Api.Epcis;

/// <summary>A capture job as the EPCIS 2.0 REST binding describes it, plus the event ids and how many were new.</summary>
public sealed record CaptureJob(
    [property: JsonPropertyName("captureID")] string CaptureId,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("finishedAt")] DateTimeOffset FinishedAt,
    [property: JsonPropertyName("running")] bool Running,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("captureErrorBehaviour")] string CaptureErrorBehaviour,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors,
    [property: JsonPropertyName("eventIDs")] [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? EventIds,
    [property: JsonPropertyName("captured")] int Captured,
    [property: JsonPropertyName("alreadyCaptured")] [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? AlreadyCaptured);
