using System.Globalization;
using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea.Internal;

/// <summary>Allocation-free parsing of NMEA field values straight from the sentence bytes (ASCII; invariant culture, no regular expressions).</summary>
internal static class NmeaFields
{
    private static readonly long[] PowersOfTen =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
    ];

    private static readonly double[] ExactPowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>Parses <c>hhmmss</c> or <c>hhmmss.s...</c> (UTC time of day); sub-100 ns digits are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTime(ReadOnlySpan<byte> text, out TimeSpan timeOfDay)
    {
        timeOfDay = default;
        if (text.Length < 6 || !TryTwoDigits(text, 0, out var h) || !TryTwoDigits(text, 2, out var m) || !TryTwoDigits(text, 4, out var s))
        {
            return false;
        }

        if (h > 23 || m > 59 || s > 60)
        {
            return false;
        }

        long ticks = 0;
        if (text.Length > 6)
        {
            if (text[6] != '.')
            {
                return false;
            }

            long scale = TimeSpan.TicksPerSecond;
            for (var i = 7; i < text.Length; i++)
            {
                var d = text[i] - '0';
                if ((uint)d > 9)
                {
                    return false;
                }

                scale /= 10;
                ticks += d * scale;
            }
        }

        timeOfDay = new TimeSpan(((h * 3600L) + (m * 60L) + s) * TimeSpan.TicksPerSecond + ticks);
        return true;
    }

    /// <summary>Parses the RMC date <c>ddmmyy</c>; years 80..99 are 19xx, others 20xx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseRmcDate(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 6 || !TryTwoDigits(text, 0, out var d) || !TryTwoDigits(text, 2, out var m) || !TryTwoDigits(text, 4, out var y))
        {
            return false;
        }

        return TryMakeDate(y < 80 ? 2000 + y : 1900 + y, m, d, out date);
    }

    /// <summary>Builds a date from ZDA's day, month and four-digit year fields (1980..9999; a later year is no date, as DateOnly has none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseZdaDate(ReadOnlySpan<byte> day, ReadOnlySpan<byte> month, ReadOnlySpan<byte> year, out DateOnly date)
    {
        date = default;
        return TryParseInt(day, out var d) && TryParseInt(month, out var m) && TryParseInt(year, out var y) && y is >= 1980 and <= 9999
            && TryMakeDate(y, m, d, out date);
    }

    /// <summary>
    /// Parses <c>ddmm.mmmm</c> / <c>dddmm.mmmm</c> with its hemisphere into signed decimal degrees. The value is read
    /// as an exact integer mantissa and divided in decimal, so the only rounding is the final conversion to double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseCoordinate(ReadOnlySpan<byte> value, ReadOnlySpan<byte> hemisphere, bool latitude, out double degrees)
    {
        degrees = 0;
        if (value.Length == 0 || hemisphere.Length != 1)
        {
            return false;
        }

        var negative = (char)hemisphere[0] switch
        {
            'N' when latitude => false,
            'S' when latitude => true,
            'E' when !latitude => false,
            'W' when !latitude => true,
            _ => (bool?)null,
        };
        if (negative is null)
        {
            return false;
        }

        long whole = 0;
        long fraction = 0;
        var scale = 0;
        var i = 0;
        for (; i < value.Length && value[i] != '.'; i++)
        {
            var d = value[i] - '0';
            if ((uint)d > 9 || i >= 5)
            {
                return false;
            }

            whole = (whole * 10) + d;
        }

        if (i == 0)
        {
            return false;
        }

        for (i++; i < value.Length; i++)
        {
            var d = value[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            if (scale < PowersOfTen.Length - 1)
            {
                fraction = (fraction * 10) + d;
                scale++;
            }
        }

        var wholeDegrees = whole / 100;
        var wholeMinutes = whole % 100;
        var minutesMantissa = (wholeMinutes * PowersOfTen[scale]) + fraction;
        if (wholeMinutes >= 60 || wholeDegrees > (latitude ? 90 : 180))
        {
            return false;
        }

        // Decimal arithmetic: 31 + 14.8902/60 is exactly 31.24817, so the one rounding to double gives 31.24817.
        degrees = (double)(wholeDegrees + (new decimal(minutesMantissa) / (60m * PowersOfTen[scale])));
        if (degrees > (latitude ? 90 : 180))
        {
            return false;
        }

        if (negative.Value)
        {
            degrees = -degrees;
        }

        return true;
    }

    /// <summary>
    /// Parses <c>[+-]digits[.digits]</c> as <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>
    /// does, to the same bits: with at most 15 digits the digits are an exact integer and their power of ten an exact
    /// double, so one division is the correctly rounded result (Clinger's fast path); anything else goes to the framework.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        var i = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        long mantissa = 0;
        var digits = 0;
        var fractionDigits = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var d = c - '0';
            if ((uint)d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                fractionDigits += fractionDigits >= 0 ? 1 : 0;
            }
            else if (c == '.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else
            {
                break;
            }
        }

        if (i < text.Length || digits is 0 or > 15)
        {
            return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
        }

        value = fractionDigits > 0 ? mantissa / ExactPowersOfTen[fractionDigits] : mantissa;
        if (text[0] == '-')
        {
            value = -value;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double? ParseDouble(ReadOnlySpan<byte> text) => TryParseDouble(text, out var v) ? v : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseInt(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 9)
        {
            return false;
        }

        foreach (var c in text)
        {
            var d = c - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int? ParseInt(ReadOnlySpan<byte> text) => TryParseInt(text, out var v) ? v : null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryTwoDigits(ReadOnlySpan<byte> text, int at, out int value)
    {
        var a = text[at] - '0';
        var b = text[at + 1] - '0';
        value = (a * 10) + b;
        return (uint)a <= 9 && (uint)b <= 9;
    }

    private static bool TryMakeDate(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }
}
