namespace Provenance.Storage;

/// <summary>A bottle's identity: GTIN-14 and serial.</summary>
public readonly record struct TagKey(string Gtin, string Serial);
