using System.Globalization;
using System.Text;

namespace Provenance.FirmwareSim.Nmea;

/// <summary>Writes NMEA 0183 sentences: <c>$</c>, the comma-joined fields, <c>*</c> and the two-hex-digit XOR checksum.</summary>
public static class NmeaWriter
{
    /// <summary>The XOR of every character between <c>$</c> and <c>*</c> (exclusive).</summary>
    public static byte Checksum(ReadOnlySpan<char> body)
    {
        byte sum = 0;
        foreach (var c in body)
        {
            sum ^= (byte)c;
        }

        return sum;
    }

    /// <summary>Builds a complete sentence, e.g. <c>Sentence("GNGGA", ...)</c> → <c>$GNGGA,...*5C</c>.</summary>
    public static string Sentence(string address, params ReadOnlySpan<string> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        var body = new StringBuilder(address.Length + (fields.Length * 8));
        body.Append(address);
        foreach (var field in fields)
        {
            body.Append(',').Append(field);
        }

        var text = body.ToString();
        return "$" + text + "*" + Checksum(text).ToString("X2", CultureInfo.InvariantCulture);
    }

    /// <summary>UTC time of day as <c>hhmmss.ss</c>.</summary>
    public static string Time(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var hundredths = utc.Millisecond / 10;
        return string.Create(CultureInfo.InvariantCulture, $"{utc.Hour:D2}{utc.Minute:D2}{utc.Second:D2}.{hundredths:D2}");
    }

    /// <summary>UTC date as <c>ddmmyy</c>.</summary>
    public static string Date(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{utc.Day:D2}{utc.Month:D2}{utc.Year % 100:D2}");
    }

    /// <summary>Latitude as <c>ddmm.mmmmm</c> and hemisphere <c>N</c>/<c>S</c>.</summary>
    public static (string Value, string Hemisphere) Latitude(double degrees) =>
        (Angle(Math.Abs(degrees), 2), degrees < 0 ? "S" : "N");

    /// <summary>Longitude as <c>dddmm.mmmmm</c> and hemisphere <c>E</c>/<c>W</c>.</summary>
    public static (string Value, string Hemisphere) Longitude(double degrees) =>
        (Angle(Math.Abs(degrees), 3), degrees < 0 ? "W" : "E");

    /// <summary>A number with a fixed count of decimals, invariant culture.</summary>
    public static string Fixed(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Angle(double degrees, int degreeDigits)
    {
        // Round on the minute scale first so 59.999995' carries into the degrees instead of printing 60.00000.
        var totalMinutes = Math.Round(degrees * 60.0, 5, MidpointRounding.AwayFromZero);
        var whole = (int)Math.Floor(totalMinutes / 60.0);
        var minutes = totalMinutes - (whole * 60.0);
        var format = "D" + degreeDigits.ToString(CultureInfo.InvariantCulture);
        return whole.ToString(format, CultureInfo.InvariantCulture) + minutes.ToString("00.00000", CultureInfo.InvariantCulture);
    }
}
