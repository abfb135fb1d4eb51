using Provenance.Core.Geo;

namespace Provenance.Core.Origin;

/// <summary>
/// Decides the origin attestation of a seal from the site's geofence and the gateway's recent fixes
/// (oldest first). Pure and thread-safe.
/// </summary>
public static class OriginAttestor
{
    public static OriginAttestation Attest(IGeofence geofence, GeoPoint siteCenter, IReadOnlyList<GnssFix> recentFixes, DateTimeOffset sealedAt, AttestationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(geofence);
        ArgumentNullException.ThrowIfNull(recentFixes);
        ArgumentNullException.ThrowIfNull(policy);
        if (recentFixes.Count == 0)
        {
            return new OriginAttestation { Attested = false, Failures = [OriginAttestation.Code(OriginFailure.NoFix)] };
        }

        var failures = new List<OriginFailure>();
        var fix = recentFixes[^1];
        var point = new GeoPoint(fix.Latitude, fix.Longitude);
        var age = (sealedAt - fix.Time).Duration();
        var inside = geofence.Contains(point);
        var distance = siteCenter.DistanceToMeters(point);

        if (age > policy.MaxFixAge)
        {
            failures.Add(OriginFailure.StaleFix);
        }

        if (!inside)
        {
            failures.Add(OriginFailure.OutsideGeofence);
        }

        if (fix.Hdop is null || fix.Hdop > policy.MaxHdop)
        {
            failures.Add(OriginFailure.PoorPrecision);
        }

        if (fix.SatellitesUsed is null || fix.SatellitesUsed < policy.MinSatellitesUsed)
        {
            failures.Add(OriginFailure.TooFewSatellites);
        }

        if (policy.MinBeiDouSatellitesUsed > 0 && (fix.BeiDouSatellitesUsed ?? 0) < policy.MinBeiDouSatellitesUsed)
        {
            failures.Add(OriginFailure.NoBeiDou);
        }

        if (recentFixes.Any(f => f.Simulated))
        {
            failures.Add(OriginFailure.SimulationMode);
        }

        if (IsFrozen(recentFixes, policy.FrozenFixCount))
        {
            failures.Add(OriginFailure.FrozenCoordinates);
        }

        if (HasJump(recentFixes, policy.MaxPlausibleSpeed, policy.JumpToleranceMeters))
        {
            failures.Add(OriginFailure.ImplausibleJump);
        }

        return new OriginAttestation
        {
            Attested = failures.Count == 0,
            Failures = [.. failures.Select(OriginAttestation.Code)],
            FixTime = fix.Time,
            Latitude = fix.Latitude,
            Longitude = fix.Longitude,
            InsideGeofence = inside,
            DistanceMeters = Math.Round(distance, 2),
            FixAgeSeconds = Math.Round(age.TotalSeconds, 3),
            Hdop = fix.Hdop,
            SatellitesUsed = fix.SatellitesUsed,
            BeiDouSatellitesUsed = fix.BeiDouSatellitesUsed,
        };
    }

    private static bool IsFrozen(IReadOnlyList<GnssFix> fixes, int count)
    {
        if (count < 2 || fixes.Count < count)
        {
            return false;
        }

        var last = fixes[^1];
        for (var i = fixes.Count - count; i < fixes.Count - 1; i++)
        {
            // Bit-identical on purpose: a live receiver's last digits always move.
            if (fixes[i].Latitude != last.Latitude || fixes[i].Longitude != last.Longitude)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasJump(IReadOnlyList<GnssFix> fixes, double maxSpeed, double toleranceMeters)
    {
        for (var i = 1; i < fixes.Count; i++)
        {
            var seconds = (fixes[i].Time - fixes[i - 1].Time).TotalSeconds;
            var meters = new GeoPoint(fixes[i - 1].Latitude, fixes[i - 1].Longitude).DistanceToMeters(new GeoPoint(fixes[i].Latitude, fixes[i].Longitude));
            if (meters > toleranceMeters && (seconds <= 0 ? meters > maxSpeed : meters / seconds > maxSpeed))
            {
                return true;
            }
        }

        return false;
    }
}
