namespace Provenance.Ingestion.Broker;

/// <summary>What retiring a session did: whether the broker still had it, and how many messages it held.</summary>
public sealed record SessionRetirementOutcome(string ClientId, bool SessionPresent, long Messages, TimeSpan Elapsed);
