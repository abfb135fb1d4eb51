using Provenance.Core.Nmea;

namespace Provenance.Core.Origin;

/// <summary>
/// Decodes the NMEA text of one gnss message into fixes (epochs with a position and a date) and the problems found:
/// what ingestion attests against, and what a proof verifier re-derives from the gateway's signed messages. Pure.
/// </summary>
public static class NmeaFixes
{
    public static (List<GnssFix> Fixes, List<string> Problems) Decode(string nmea)
    {
        var decoder = new NmeaStreamDecoder();
        var fixes = new List<GnssFix>();
        var problems = new List<string>();
        foreach (var line in nmea.AsSpan().EnumerateLines())
        {
            decoder.WriteLine(line);
            Drain(decoder, fixes, problems);
        }

        decoder.Complete();
        Drain(decoder, fixes, problems);
        return (fixes, problems);
    }

    private static void Drain(NmeaStreamDecoder decoder, List<GnssFix> fixes, List<string> problems)
    {
        while (decoder.TryRead(out var output))
        {
            if (output.Kind == NmeaDecoderOutputKind.Diagnostic && output.Diagnostic is { } d)
            {
                problems.Add($"line {d.LineNumber}: {d.Reason}");
            }
            else if (output.Kind == NmeaDecoderOutputKind.Epoch && output.Epoch is { HasPosition: true, TimeUtc: { } time } epoch)
            {
                fixes.Add(new GnssFix
                {
                    Time = time,
                    Latitude = epoch.Latitude!.Value,
                    Longitude = epoch.Longitude!.Value,
                    AltitudeMeters = epoch.AltitudeMeters,
                    Mode = epoch.FixMode == FixMode.ThreeD ? 3 : 2,
                    Quality = epoch.GgaQuality,
                    Hdop = epoch.Hdop,
                    SatellitesUsed = epoch.SatellitesUsed,
                    BeiDouSatellitesUsed = epoch.BeiDouSatellitesUsed,
                    Simulated = epoch.IsSimulated,
                });
            }
        }
    }
}
