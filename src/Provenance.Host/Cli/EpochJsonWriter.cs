using System.Buffers;
using System.Globalization;
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
            time.UtcDateTime.TryFormat(formatted, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            w.WriteString(Time, formatted[..written]);
        }
        else
        {
            w.WriteNull(Time);
        }

        epoch.TimeOfDay.TryFormat(formatted, out var length, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
        w.WriteString(TimeOfDay, formatted[..length]);
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

    /// <summary>In ascending order, as <c>Order()</c> gives them, without its allocations (a set holds at most one of each constellation).</summary>
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

    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, char? value)
    {
        if (value is { } v)
        {
            ReadOnlySpan<char> one = [v];
            w.WriteString(name, one);
        }
    }
}
