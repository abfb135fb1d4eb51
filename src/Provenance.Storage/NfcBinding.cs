namespace Provenance.Storage;

/// <summary>A chip bound to a bottle: its UID, the bottle's GTIN and serial, and the seal event that bound them.</summary>
public sealed record NfcBinding(string Uid, string Gtin, string Serial, string EventId);
