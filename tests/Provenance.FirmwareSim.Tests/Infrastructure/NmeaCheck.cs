using System.Globalization;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>A tiny independent NMEA reader for the tests: checksum check, fields, positions.</summary>
public static class NmeaCheck
{
    public static IReadOnlyList<string> Sentences(string nmea) => nmea.Split("\r\n");

    /// <summary>True when the sentence is <c>$body*HH</c> and HH is the XOR of the body.</summary>
    public static bool HasValidChecksum(string sentence)
    {
        var star = sentence.LastIndexOf('*');
        if (!sentence.StartsWith('$') || star < 0 || star != sentence.Length - 3)
        {
            return false;
        }

        var sum = 0;
        foreach (var c in sentence.AsSpan(1, star - 1))
        {
            sum ^= c;
        }

        return int.TryParse(sentence.AsSpan(star + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var given) && given == sum;
    }

    /// <summary>The comma-separated fields after the address (index 0 = first data field), checksum removed.</summary>
    public static string[] Fields(string sentence)
    {
        var star = sentence.LastIndexOf('*');
        var body = sentence[1..(star < 0 ? sentence.Length : star)];
        return body.Split(',')[1..];
    }

    public static string Address(string sentence) => sentence[1..sentence.IndexOf(',', StringComparison.Ordinal)];

    /// <summary>Decimal degrees from <c>ddmm.mmmm</c>/<c>dddmm.mmmm</c> and a hemisphere letter.</summary>
    public static double Degrees(string value, string hemisphere)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var degrees = double.Parse(value[..(dot - 2)], CultureInfo.InvariantCulture);
        var minutes = double.Parse(value[(dot - 2)..], CultureInfo.InvariantCulture);
        var result = degrees + (minutes / 60);
        return hemisphere is "S" or "W" ? -result : result;
    }

    public static (double Latitude, double Longitude) GgaPosition(string gga)
    {
        var f = Fields(gga);
        return (Degrees(f[1], f[2]), Degrees(f[3], f[4]));
    }

    public static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2));
        return 2 * 6_371_008.8 * Math.Asin(Math.Sqrt(a));
    }
}
