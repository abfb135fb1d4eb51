using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Provenance.Core.Nmea;

namespace Provenance.Host.Cli;

/// <summary><c>provenance nmea decode [FILE|-]</c>: NMEA 0183 log in, one JSON object per fix epoch out.</summary>
internal static class NmeaDecodeVerb
{
    private const int ChunkSize = 64 * 1024;

    public static CliVerb Create() => new(
        ["nmea", "decode"],
        "Decode an NMEA 0183 log into fix epochs, one JSON object per line.",
        [],
        RunAsync,
        "[FILE|-]",
        """
        Reads FILE (or standard input for '-' or no argument) as it streams and prints, for every fix epoch with a
        position (2D or 3D fix), a JSON object: time (ISO 8601 UTC, null before the receiver sent a date), timeOfDay,
        lat, lon, mode, alt, quality, hdop, pdop, vdop, satellitesUsed, beidouSatellitesUsed, constellations,
        modeIndicator, rmcStatus, simulated, estimated. Skipped input (garbage, bad checksums, truncated lines) goes
        to standard error as 'line N: reason: text'. Exit code 0, or 1 when the input cannot be read.
        """,
        ArgumentsDescription: "The NMEA log to read; '-' or nothing reads standard input.");

    private static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 1)
        {
            throw new CliUsageException("expects at most one FILE.");
        }

        var path = args.Positionals.Count == 1 ? args.Positionals[0] : "-";
        var decoder = new NmeaStreamDecoder();

        // Console.Out and Console.Error flush on every line (a system call per epoch); the console gets buffered writers
        // here, flushed at the end, while a caller's own writers are used as they are.
        await using var stdout = ReferenceEquals(args.Out, Console.Out) ? Buffered(Console.OpenStandardOutput()) : null;
        await using var stderr = ReferenceEquals(args.Error, Console.Error) ? Buffered(Console.OpenStandardError()) : null;
        var output = new EpochJsonWriter(stdout ?? args.Out);
        var errors = stderr ?? args.Error;
        try
        {
            if (path == "-" && !ReferenceEquals(args.Stdin, Console.In))
            {
                while (await args.Stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    decoder.WriteLine(line);
                    await DrainAsync(decoder, output, errors).ConfigureAwait(false);
                }
            }
            else
            {
                var stream = path == "-"
                    ? Console.OpenStandardInput()
                    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.SequentialScan | FileOptions.Asynchronous);
                await using (stream.ConfigureAwait(false))
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                    try
                    {
                        int read;
                        while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            decoder.Write(buffer.AsSpan(0, read));
                            await DrainAsync(decoder, output, errors).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"provenance nmea decode: cannot read '{path}': {e.Message}").ConfigureAwait(false);
            return 1;
        }

        decoder.Complete();
        await DrainAsync(decoder, output, errors).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await errors.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static StreamWriter Buffered(Stream stream) => new(stream, new UTF8Encoding(false), 1 << 16) { AutoFlush = false };

    private static async Task DrainAsync(NmeaStreamDecoder decoder, EpochJsonWriter output, TextWriter error)
    {
        while (decoder.TryRead(out var item))
        {
            if (item.Epoch is { HasPosition: true } epoch)
            {
                await output.WriteAsync(epoch).ConfigureAwait(false);
            }
            else if (item.Diagnostic is { } d)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"line {d.LineNumber}: {d.Reason}: {d.Text}")).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Serialises epochs as JSON lines with a reused buffer and writer.</summary>
    private sealed class EpochJsonWriter(TextWriter target)
    {
        private static readonly Dictionary<Constellation, string> Names = Enum.GetValues<Constellation>().ToDictionary(c => c, c => c.ToString().ToLowerInvariant());

        private readonly ArrayBufferWriter<byte> _buffer = new(512);
        private Utf8JsonWriter? _json;

        public Task WriteAsync(FixEpoch epoch)
        {
            _buffer.ResetWrittenCount();
            if (_json is null)
            {
                _json = new Utf8JsonWriter(_buffer);
            }
            else
            {
                _json.Reset(_buffer);
            }

            var w = _json;
            w.WriteStartObject();
            if (epoch.TimeUtc is { } time)
            {
                w.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("time");
            }

            w.WriteString("timeOfDay", epoch.TimeOfDay.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture));
            w.WriteNumber("lat", epoch.Latitude!.Value);
            w.WriteNumber("lon", epoch.Longitude!.Value);
            w.WriteNumber("mode", (int)epoch.FixMode);
            WriteOptional(w, "alt", epoch.AltitudeMeters);
            WriteOptional(w, "quality", epoch.GgaQuality);
            WriteOptional(w, "hdop", epoch.Hdop);
            WriteOptional(w, "pdop", epoch.Pdop);
            WriteOptional(w, "vdop", epoch.Vdop);
            WriteOptional(w, "satellitesUsed", epoch.SatellitesUsed);
            WriteOptional(w, "beidouSatellitesUsed", epoch.BeiDouSatellitesUsed);
            w.WriteStartArray("constellations");
            foreach (var c in epoch.Constellations.Order())
            {
                w.WriteStringValue(Names[c]);
            }

            w.WriteEndArray();
            WriteOptional(w, "modeIndicator", epoch.ModeIndicator is { } m ? ((char)m).ToString() : null);
            WriteOptional(w, "rmcStatus", epoch.RmcStatus?.ToString());
            w.WriteBoolean("simulated", epoch.IsSimulated);
            w.WriteBoolean("estimated", epoch.IsEstimated);
            w.WriteEndObject();
            w.Flush();
            return target.WriteLineAsync(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        }

        public Task FlushAsync(CancellationToken cancellationToken) => target.FlushAsync(cancellationToken);

        private static void WriteOptional(Utf8JsonWriter w, string name, double? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, v);
            }
        }

        private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, v);
            }
        }

        private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
        {
            if (value is not null)
            {
                w.WriteString(name, value);
            }
        }
    }
}
