namespace Provenance.Storage.Ingestion;

/// <summary>A fix epoch to journal for the time-series sink. The event id is derived from gateway and fix time, so a redelivered fix is absorbed.</summary>
public sealed record FixToStore(string EventId, string BodyJson);
