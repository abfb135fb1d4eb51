using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Nfc;

namespace Provenance.Ingestion.Internal;

/// <summary>
/// What one seal event must be before anything of it is stored: bounded, printable fields (event ids as the chaincode
/// accepts them), and a tag that is a Digital Link URI whose code MAC verifies. Thread-safe.
/// </summary>
internal sealed class SealEventRules(CodeAuthenticator codes)
{
    public const int MaxEventIdLength = 128;
    public const int MaxTagLength = 1024;
    public const int MaxSealTypeLength = 32;
    public const int MaxNfcUidLength = 64;

    /// <summary>The problem with the event's fields, or null.</summary>
    public static string? Check(SealEvent seal)
    {
        if (!IsPrintableAscii(seal.EventId, MaxEventIdLength, allowSpace: false))
        {
            return $"event id must be 1..{MaxEventIdLength} printable ASCII characters without spaces";
        }

        if (!Identifier.IsValid(seal.Line))
        {
            return $"event {seal.EventId}: line is not a valid id (1–64 characters a–z, 0–9, '-', '_')";
        }

        if (!IsPrintableAscii(seal.SealType, MaxSealTypeLength, allowSpace: true))
        {
            return $"event {seal.EventId}: seal type must be 1..{MaxSealTypeLength} printable ASCII characters";
        }

        if (seal.Sequence < 0)
        {
            return $"event {seal.EventId}: sequence number must not be negative";
        }

        if (seal.Tag.Length > MaxTagLength)
        {
            return $"event {seal.EventId}: tag longer than {MaxTagLength} characters";
        }

        if (seal.NfcUid is not null && !IsPrintableAscii(seal.NfcUid, MaxNfcUidLength, allowSpace: false))
        {
            return $"event {seal.EventId}: NFC UID must be 1..{MaxNfcUidLength} printable ASCII characters";
        }

        return seal.NfcUid is null || NfcUid.IsValid(seal.NfcUid)
            ? null
            : $"event {seal.EventId}: nfcUid must be the chip's ISO 14443 UID in hex (4, 7 or 10 bytes), got '{seal.NfcUid}'";
    }

    /// <summary>
    /// The GTIN and serial of an authenticated tag. The GS1 element-string form (<c>01…21…</c>) carries no code MAC,
    /// so anyone could seal any serial with it: it is refused as <c>unauthenticated_tag</c>.
    /// </summary>
    public bool TryResolveTag(string tag, out string gtin, out string serial, out string reasonCode, out string reason)
    {
        gtin = serial = reasonCode = reason = string.Empty;
        if (TagReference.TryParseElementString(tag, out _, out _))
        {
            (reasonCode, reason) = (ReasonCodes.UnauthenticatedTag, "tag is a GS1 element string, which carries no code MAC; send the Digital Link URI as printed");
            return false;
        }

        var verification = codes.Verify(tag);
        switch (verification.Status)
        {
            case CodeVerificationStatus.Authentic when verification.Link is { Gtin: not null, Serial: not null } link:
                gtin = link.Gtin.Value.Value;
                serial = link.Serial;
                return true;
            case CodeVerificationStatus.Authentic:
                (reasonCode, reason) = (ReasonCodes.Malformed, "tag has no GTIN and serial");
                return false;
            case CodeVerificationStatus.Malformed:
                (reasonCode, reason) = (ReasonCodes.Malformed, $"tag is not a GS1 Digital Link URI: {verification.Error}");
                return false;
            default:
                (reasonCode, reason) = (ReasonCodes.CounterfeitTag, $"tag code fails authentication ({verification.Status})");
                return false;
        }
    }

    internal static bool IsPrintableAscii(string? text, int maxLength, bool allowSpace)
    {
        if (string.IsNullOrEmpty(text) || text.Length > maxLength || (allowSpace && string.IsNullOrWhiteSpace(text)))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '!' or > '~' && !(allowSpace && c == ' '))
            {
                return false;
            }
        }

        return true;
    }
}
