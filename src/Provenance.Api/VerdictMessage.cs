using System.Globalization;
using Provenance.Core.Verdicts;

namespace Provenance.Api;

/// <summary>
/// The English sentence of a scan's JSON <c>message</c>: the verdict, and for a sealed bottle what its origin
/// attestation confirmed. Pages do not use it: they build their own sentences from the same JSON, in the viewer's
/// language. Stateless.
/// </summary>
public static class VerdictMessage
{
    public static string For(VerdictDecision decision, TagSituation facts)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Seal is not { } seal || facts.Attestation is not { } attestation)
        {
            return ScanVerdicts.Sentence(decision.Verdict);
        }

        var site = seal.SiteName ?? seal.SiteId;
        var failures = string.Join(", ", attestation.Failures);
        return decision.Verdict switch
        {
            ScanVerdict.Authentic when attestation.Attested => string.Create(CultureInfo.InvariantCulture,
                $"Genuine: sealed at {site} ({seal.Line}); position confirmed by {attestation.SatellitesUsed} satellites incl. {attestation.BeiDouSatellitesUsed} BeiDou."),
            ScanVerdict.Authentic => $"Genuine code, sealed by a registered line of {site} ({seal.Line}); its position was not confirmed by satellite ({failures}).",
            ScanVerdict.SuspectOrigin => string.Create(CultureInfo.InvariantCulture,
                $"Suspect origin: the code is genuine, but the bottle was sealed {(attestation.DistanceMeters ?? 0) / 1000:0.#} km from {site}, outside the plant. It may have been filled outside the producer's control."),
            _ => ScanVerdicts.Sentence(decision.Verdict),
        };
    }
}
