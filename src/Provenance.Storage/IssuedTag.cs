namespace Provenance.Storage;

/// <summary>A tag as the registry knows it, with its product's name and brand when the product is registered.</summary>
public sealed record IssuedTag(string Gtin, string Serial, string? Lot, long BatchId, string Status, string? ProductName, string? Brand);
