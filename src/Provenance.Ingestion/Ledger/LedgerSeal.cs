namespace Provenance.Ingestion.Ledger;

/// <summary>
/// A journaled seal as the Fabric engine submits it: the tag, the gateway and site, the gateway's original signed
/// message (<see cref="Jws"/>, null when the message row is missing; one string instance per message) and the origin
/// attestation JSON. Immutable.
/// </summary>
/// <param name="Position">The seal's journal position.</param>
/// <param name="EventId">The seal event id.</param>
/// <param name="Gtin">The tag's GTIN.</param>
/// <param name="Serial">The tag's serial.</param>
/// <param name="GatewayId">The gateway that sealed it.</param>
/// <param name="SiteId">The gateway's site.</param>
/// <param name="Jws">The gateway's signed message (JWS compact), or null when it cannot be found.</param>
/// <param name="AttestationJson">The origin attestation (JSON object).</param>
/// <param name="Topic">The MQTT topic the message came on, for dead letters.</param>
/// <param name="QueuedAt">When the seal entered the journal (batches are cut by age from it).</param>
public sealed record LedgerSeal(
    long Position,
    string EventId,
    string Gtin,
    string Serial,
    string GatewayId,
    string SiteId,
    string? Jws,
    string AttestationJson,
    string? Topic,
    DateTimeOffset QueuedAt);
