namespace Provenance.Core.Registry;

/// <summary>A product: its GTIN (14 digits), name and brand.</summary>
public sealed record Product(string Gtin, string Name, string Brand);
