using Provenance.Core.Codes;
using Provenance.Core.Epcis.Internal;

namespace Provenance.Core.Epcis;

/// <summary>What an EPC identifies here.</summary>
public enum EpcKind
{
    /// <summary>One bottle: GTIN + serial (SGTIN).</summary>
    Bottle,

    /// <summary>A logistic unit such as a case: SSCC.</summary>
    Sscc,

    /// <summary>A lot of a product (class level): GTIN + lot (LGTIN).</summary>
    Lot,
}

/// <summary>
/// An EPC of the kinds this product deals in, always written as a canonical GS1 Digital Link URI on
/// <c>https://id.gs1.org</c> (as CBV 2.0 and the event hash prefer). Parses EPC URNs (<c>urn:epc:id:sgtin</c>,
/// <c>urn:epc:id:sscc</c>, <c>urn:epc:class:lgtin</c>) and Digital Link URIs on any host. Immutable.
/// </summary>
public sealed record Epc(EpcKind Kind, string Uri)
{
    public const string CanonicalHost = "https://id.gs1.org";

    /// <summary>The 14-digit GTIN of a bottle or lot.</summary>
    public string? Gtin { get; init; }

    public string? Serial { get; init; }

    public string? Lot { get; init; }

    /// <summary>The 18-digit SSCC.</summary>
    public string? Sscc { get; init; }

    public static Epc ForBottle(string gtin, string serial) =>
        new(EpcKind.Bottle, $"{CanonicalHost}/01/{gtin}/21/{DigitalLinkEscaping.Encode(serial)}") { Gtin = gtin, Serial = serial };

    public static Epc ForSscc(string sscc) => new(EpcKind.Sscc, $"{CanonicalHost}/00/{sscc}") { Sscc = sscc };

    public static Epc ForLot(string gtin, string lot) =>
        new(EpcKind.Lot, $"{CanonicalHost}/01/{gtin}/10/{DigitalLinkEscaping.Encode(lot)}") { Gtin = gtin, Lot = lot };

    /// <summary>Parses an EPC URN or a Digital Link URI (any host); the error says what is wrong.</summary>
    public static bool TryParse(string? text, out Epc? epc, out string? error)
    {
        epc = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "empty identifier";
            return false;
        }

        if (text.StartsWith("urn:epc:", StringComparison.Ordinal))
        {
            return EpcUrn.TryParse(text, out epc, out error);
        }

        if (!DigitalLink.TryParse(text, out var link, out error))
        {
            error = $"'{text}' is neither an EPC URN nor a GS1 Digital Link URI: {error}";
            return false;
        }

        if (link!.Sscc is { } sscc)
        {
            epc = ForSscc(sscc);
        }
        else if (link.Gtin is { } gtin && link.Serial is { } serial)
        {
            epc = ForBottle(gtin.Value, serial);
        }
        else if (link.Gtin is { } lotGtin && link.Lot is { } lot)
        {
            epc = ForLot(lotGtin.Value, lot);
        }
        else
        {
            error = $"'{text}' names neither a serialised item (01 + 21), a lot (01 + 10) nor an SSCC (00)";
            return false;
        }

        error = null;
        return true;
    }

    public override string ToString() => Uri;
}
