using Provenance.Core.Codes;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>Parses codes given to the producer and distributor endpoints: full Digital Link URIs of bottles or cases.</summary>
public static class CodeRef
{
    /// <summary>The bottle (GTIN + serial) a tag URI names, or null.</summary>
    public static TagKey? Tag(string? uri) =>
        DigitalLink.TryParse(uri?.Trim(), out var link, out _) && link!.Gtin is { } gtin && link.Serial is { } serial ? new TagKey(gtin.Value, serial) : null;

    /// <summary>The canonical key of a case code (<c>/00/SSCC</c> or <c>/01/GTIN/21/SERIAL</c>), or null.</summary>
    public static string? Case(string? uri) =>
        DigitalLink.TryParse(uri?.Trim(), out var link, out _) && (link!.Sscc is not null || (link.Gtin is not null && link.Serial is not null)) ? link.CanonicalPath : null;
}
