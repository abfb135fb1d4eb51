using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text;
using Provenance.Core.Nmea;

namespace Provenance.Host.Cli;

/// <summary>
/// Serialises fix epochs as JSON lines for <c>nmea decode</c> with one reused buffer and writer: to a byte stream as
/// UTF-8 (the console), or line by line to a <see cref="TextWriter"/> (a caller's own writer). Not thread-safe.
/// </summary>
internal sealed class EpochJsonWriter
{
    private const int StreamBatchBytes = 64 * 1024;

    private static readonly JsonEncodedText[] Names = [.. Enum.GetValues<Constellation>().Select(c => JsonEncodedText.Encode(c.ToString().ToLowerInvariant()))];
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText TimeOfDay = JsonEncodedText.Encode("timeOfDay");
    private static readonly JsonEncodedText Lat = JsonEncodedText.Encode("lat");
    private static readonly JsonEncodedText Lon = JsonEncodedText.Encode("lon");
    private static readonly JsonEncodedText Mode = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText Alt = JsonEncodedText.Encode("alt");
    private static readonly JsonEncodedText Quality = JsonEncodedText.Encode("quality");
    private static readonly JsonEncodedText Hdop = JsonEncodedText.Encode("hdop");
    private static readonly JsonEncodedText Pdop = JsonEncodedText.Encode("pdop");
    private static readonly JsonEncodedText Vdop = JsonEncodedText.Encode("vdop");
    private static readonly JsonEncodedText SatellitesUsed = JsonEncodedText.Encode("satellitesUsed");
    private static readonly JsonEncodedText BeiDouSatellitesUsed = JsonEncodedText.Encode("beidouSatellitesUsed");
    private static readonly JsonEncodedText Constellations = JsonEncodedText.Encode("constellations");
    private static readonly JsonEncodedText ModeIndicator = JsonEncodedText.Encode("modeIndicator");
    private static readonly JsonEncodedText RmcStatus = JsonEncodedText.Encode("rmcStatus");
    private static readonly JsonEncodedText Simulated = JsonEncodedText.Encode("simulated");
    private static readonly JsonEncodedText Estimated = JsonEncodedText.Encode("estimated");

    private readonly Stream? _stream;
    private readonly TextWriter _text;
    private readonly ArrayBufferWriter<byte> _buffer = new(StreamBatchBytes + 4096);
    private readonly Utf8JsonWriter _json;

    /// <param name="stream">Where UTF-8 lines go in batches; <see langword="null"/> to write each line to <paramref name="text"/>.</param>
    /// <param name="text">Where lines go when there is no stream.</param>
    public EpochJsonWriter(Stream? stream, TextWriter text)
    {
        _stream = stream;
        _text = text;
        _json = new Utf8JsonWriter(_buffer);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(FixEpoch epoch)
    {
        if (_stream is null)
        {
            _buffer.ResetWrittenCount();
        }

        _json.Reset(_buffer);
        var w = _json;
        Span<byte> formatted = stackalloc byte[32];
        w.WriteStartObject();
        if (epoch.TimeUtc is { } time)
        {
            w.WriteString(Time, FormatInstant(time.UtcDateTime, formatted));
        }
        else
        {
            w.WriteNull(Time);
        }

        w.WriteString(TimeOfDay, FormatTimeOfDay(epoch.TimeOfDay, formatted));
        w.WriteNumber(Lat, epoch.Latitude!.Value);
        w.WriteNumber(Lon, epoch.Longitude!.Value);
        w.WriteNumber(Mode, (int)epoch.FixMode);
        WriteOptional(w, Alt, epoch.AltitudeMeters);
        WriteOptional(w, Quality, epoch.GgaQuality);
        WriteOptional(w, Hdop, epoch.Hdop);
        WriteOptional(w, Pdop, epoch.Pdop);
        WriteOptional(w, Vdop, epoch.Vdop);
        WriteOptional(w, SatellitesUsed, epoch.SatellitesUsed);
        WriteOptional(w, BeiDouSatellitesUsed, epoch.BeiDouSatellitesUsed);
        w.WriteStartArray(Constellations);
        WriteConstellations(w, epoch.Constellations);
        w.WriteEndArray();
        WriteOptional(w, ModeIndicator, epoch.ModeIndicator is { } m ? (char)m : null);
        WriteOptional(w, RmcStatus, epoch.RmcStatus);
        w.WriteBoolean(Simulated, epoch.IsSimulated);
        w.WriteBoolean(Estimated, epoch.IsEstimated);
        w.WriteEndObject();
        w.Flush();
        if (_stream is null)
        {
            _text.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
            return;
        }

        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= StreamBatchBytes)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_stream is null)
        {
            await _text.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, as the custom format <c>yyyy-MM-dd'T'HH:mm:ss.fff'Z'</c> writes it (milliseconds
    /// truncated), without reading a format string per epoch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> FormatInstant(DateTime time, Span<byte> into)
    {
        Digits(into[..4], time.Year);
        into[4] = (byte)'-';
        Digits(into[5..7], time.Month);
        into[7] = (byte)'-';
        Digits(into[8..10], time.Day);
        into[10] = (byte)'T';
        Clock(into[11..], time.Hour, time.Minute, time.Second, time.Millisecond);
        into[23] = (byte)'Z';
        return into[..24];
    }

    /// <summary><c>hh:mm:ss.fff</c>, as the TimeSpan format <c>hh\:mm\:ss\.fff</c> writes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> FormatTimeOfDay(TimeSpan time, Span<byte> into)
    {
        Clock(into, time.Hours, time.Minutes, time.Seconds, time.Milliseconds);
        return into[..12];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clock(Span<byte> into, int hours, int minutes, int seconds, int milliseconds)
    {
        Digits(into[..2], hours);
        into[2] = (byte)':';
        Digits(into[3..5], minutes);
        into[5] = (byte)':';
        Digits(into[6..8], seconds);
        into[8] = (byte)'.';
        Digits(into[9..12], milliseconds);
    }

    /// <summary>Writes <paramref name="value"/> in decimal, zero-padded to the span's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>In ascending order, as <c>Order()</c> gives them, without its allocations (a set holds at most one of each constellation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteConstellations(Utf8JsonWriter w, IReadOnlySet<Constellation> constellations)
    {
        Span<Constellation> sorted = stackalloc Constellation[Names.Length];
        var n = 0;
        foreach (var c in constellations)
        {
            sorted[n++] = c;
        }

        sorted = sorted[..n];
        sorted.Sort();
        foreach (var c in sorted)
        {
            w.WriteStringValue(Names[(int)c]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, char? value)
    {
        if (value is { } v)
        {
            ReadOnlySpan<char> one = [v];
            w.WriteString(name, one);
        }
    }
}
