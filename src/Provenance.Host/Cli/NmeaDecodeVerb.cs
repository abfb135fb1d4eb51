using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Provenance.Core.Nmea;

namespace Provenance.Host.Cli;

/// <summary><c>provenance nmea decode [FILE|-]</c>: NMEA 0183 log in, one JSON object per fix epoch out.</summary>
internal static class NmeaDecodeVerb
{
    private const int ChunkSize = 64 * 1024;
    private const int BufferSize = 1 << 16;

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

        // Console.Out and Console.Error flush on every line (a system call per epoch): on the console, JSON goes as UTF-8
        // to the stdout stream in 64 KiB batches and diagnostics through a buffered writer flushed at the end; a caller's
        // own writers are used as they are.
        await using var stdout = ReferenceEquals(args.Out, Console.Out) ? Console.OpenStandardOutput() : null;
        await using var stderr = ReferenceEquals(args.Error, Console.Error) ? new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false), BufferSize) { AutoFlush = false } : null;
        var output = new EpochJsonWriter(stdout, args.Out);
        var errors = stderr ?? args.Error;
        try
        {
            if (path == "-" && !ReferenceEquals(args.Stdin, Console.In))
            {
                while (await args.Stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    decoder.WriteLine(line);
                    Drain(decoder, output, errors);
                }
            }
            else
            {
                // Synchronous reads: a file or a pipe gives its bytes without a thread-pool hop per chunk. The chunk size
                // stays 64 KiB: where an over-long line straddles two reads decides the text of its diagnostic.
                using var stream = path == "-"
                    ? Console.OpenStandardInput()
                    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                try
                {
                    int read;
                    while ((read = stream.Read(buffer, 0, ChunkSize)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        decoder.Write(buffer.AsSpan(0, read));
                        Drain(decoder, output, errors);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"provenance nmea decode: cannot read '{path}': {e.Message}").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return 1;
        }

        decoder.Complete();
        Drain(decoder, output, errors);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await errors.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Drain(NmeaStreamDecoder decoder, EpochJsonWriter output, TextWriter error)
    {
        while (decoder.TryRead(out var item))
        {
            if (item.Epoch is { HasPosition: true } epoch)
            {
                output.Write(epoch);
            }
            else if (item.Diagnostic is { } d)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"line {d.LineNumber}: {d.Reason}: {d.Text}"));
            }
        }
    }
}
