using Provenance.Core.Packaging;

namespace Provenance.Storage.Packaging;

/// <summary>A box, case or pallet: its canonical code (<c>/00/{sscc}</c> or <c>/01/{gtin}/21/{serial}</c>), level and parent.</summary>
public sealed record StoredContainer(string Code, PackagingLevel Level, string? ParentCode, DateTimeOffset CreatedAt);
