using Provenance.Core.Codes;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>What the codes of a custody scan stand for: lines of bottles (a case is one line), and the codes that are unknown or forged.</summary>
public sealed record ResolvedCodes(IReadOnlyList<CustodyLine> Lines, IReadOnlyList<string> Unknown, IReadOnlyList<string> Counterfeit);

/// <summary>
/// Resolves the codes a dealer scans: a registered case code (Digital Link <c>/00/SSCC</c>) stands for its bottles; a
/// bottle code must carry a valid MAC (else it is counterfeit) and be issued here (else unknown). Stateless.
/// </summary>
public static class CustodyCodes
{
    public static ResolvedCodes Resolve(IEnumerable<string> codes, CodeAuthenticator authenticator, TagStore tags, ShipmentStore shipments)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(shipments);
        List<CustodyLine> lines = [];
        List<string> unknown = [], counterfeit = [];
        foreach (var raw in codes)
        {
            var text = (raw ?? string.Empty).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (CodeRef.Case(text) is { } caseCode && shipments.CaseTags(caseCode) is { Count: > 0 } inCase)
            {
                lines.Add(new CustodyLine(text, caseCode, inCase));
            }
            else if (!DigitalLink.TryParse(text, out var link, out _) || !authenticator.Verify(link!).IsAuthentic)
            {
                counterfeit.Add(Clip(text));
            }
            else if (link!.Gtin is { } g && link.Serial is { } s && tags.Find(g.Value, s) is not null)
            {
                lines.Add(new CustodyLine(text, null, [new TagKey(g.Value, s)]));
            }
            else
            {
                unknown.Add(Clip(text));
            }
        }

        return new ResolvedCodes(lines, unknown, counterfeit);
    }

    private static string Clip(string code) => code.Length <= 200 ? code : code[..200];
}
