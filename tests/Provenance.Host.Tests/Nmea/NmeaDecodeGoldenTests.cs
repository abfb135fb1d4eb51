using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Provenance.Core.Nmea;
using Provenance.Host.Cli;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Nmea;

/// <summary>
/// Pins the exact output of NMEA decoding over the shared conformance logs and over a hostile stream derived from them
/// at test time (bit flips, non-ASCII and NUL bytes, truncation, joined and over-long lines, noise, CRLF). The expected
/// SHA-256 digests were recorded from the decoder before its hot path was rewritten, so any change in diagnostics,
/// epochs or JSON is caught, whatever the implementation.
/// </summary>
public sealed class NmeaDecodeGoldenTests(ITestOutputHelper output)
{
    /// <summary>Per log: the CLI's stdout and stderr digests (first 16 hex digits) and line counts.</summary>
    private static readonly Dictionary<string, (string Stdout, int Epochs, string Stderr, int Diagnostics)> Expected = new(StringComparer.Ordinal)
    {
        ["beidou-bd.log"] = ("289afab4915f7679", 5, "b57ee6233698664b", 14),
        ["beidou-gb.log"] = ("584c0adfaf8908aa", 2, "567d9f2227570ba1", 9),
        ["nmea-fuzzy-cases.log"] = ("6d167877b4818c0d", 14, "03ea619759093f63", 8),
        ["quectel-l76k-nmea.log"] = ("55c5010da3a8c3ec", 151, "e433ccfdec47438f", 16),
        ["skytraq-dgps.log"] = ("4f41002a5ff60cd6", 96, "9f333d5e5bdd9b33", 7),
        ["ublox-neo-m9n-nmea.log"] = ("ee630ad71762531b", 61, "9fe6dc1b55777430", 11),
        ["unicore-um621.log"] = ("42a5184a77aa2dc4", 16, "ba8607728da15f27", 17),
        ["hostile"] = ("d68a89bb9ab0a487", 294, "4ef163c4ea6067c3", 3002),
    };

    /// <summary>The decoder's own items (sentences included) over the hostile stream, written in 64 KiB pieces.</summary>
    private const string ExpectedHostileItems = "a08422c881ea3601";

    /// <summary>The same, written in 7-byte pieces (an over-long line split across writes keeps its first bytes as text).</summary>
    private const string ExpectedHostileItemsSmallWrites = "cdfb844b440bbc84";

    /// <summary>The same stream fed line by line through <see cref="NmeaStreamDecoder.WriteLine"/> (as Latin-1 text).</summary>
    private const string ExpectedHostileItemsByLine = "77a401acdebe19c5";

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var name in Expected.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Decode_prints_exactly_what_it_printed_before_the_rewrite(string input)
    {
        using var temp = new TempDirectory("nmea-golden");
        var path = input == "hostile" ? temp.Combine("hostile.log") : Path.Combine(RepositoryPaths.NmeaConformance, input);
        if (input == "hostile")
        {
            await File.WriteAllBytesAsync(path, HostileStream());
        }

        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await CommandLine.RunAsync(["nmea", "decode", path], stdout, stderr);

        Assert.Equal(0, exit);
        var actual = (Digest(stdout.ToString()), Lines(stdout.ToString()), Digest(stderr.ToString()), Lines(stderr.ToString()));
        output.WriteLine($"[\"{input}\"] = (\"{actual.Item1}\", {actual.Item2}, \"{actual.Item3}\", {actual.Item4}),");
        Assert.Equal(Expected[input], actual);
    }

    [Fact]
    public async Task Decode_as_a_process_prints_the_same_bytes_to_stdout_and_stderr()
    {
        using var temp = new TempDirectory("nmea-golden");
        var path = temp.Combine("hostile.log");
        await File.WriteAllBytesAsync(path, HostileStream());

        var (exit, stdout, stderr) = await RunProcessAsync(["nmea", "decode", path]);

        Assert.Equal(0, exit);
        var expected = Expected["hostile"];
        Assert.Equal((expected.Stdout, expected.Stderr), (Digest(stdout), Digest(stderr)));
    }

    [Fact]
    public void Decoder_items_in_large_and_small_writes_are_what_they_were_before_the_rewrite()
    {
        var bytes = HostileStream();
        var large = DecodeItems(bytes, 65536);
        var small = DecodeItems(bytes, 7);
        output.WriteLine($"items {Digest(large)} {Lines(large)}; small writes {Digest(small)} {Lines(small)}");

        Assert.Equal(ExpectedHostileItems, Digest(large));
        Assert.Equal(ExpectedHostileItemsSmallWrites, Digest(small));
    }

    [Fact]
    public void Decoder_items_fed_line_by_line_are_what_they_were_before_the_rewrite()
    {
        var decoder = new NmeaStreamDecoder(includeSentences: true);
        var text = Encoding.Latin1.GetString(HostileStream());
        var items = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            decoder.WriteLine(line);
            Drain(decoder, items);
        }

        decoder.Complete();
        Drain(decoder, items);
        output.WriteLine($"by line {Digest(items.ToString())}");

        Assert.Equal(ExpectedHostileItemsByLine, Digest(items.ToString()));
    }

    /// <summary>
    /// The conformance logs concatenated, each line then damaged (or not) by a fixed pseudo-random choice: the same bytes
    /// on every run and every machine, derived from the shared logs rather than copied from them.
    /// </summary>
    private static byte[] HostileStream()
    {
        var lines = new List<byte[]>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.NmeaConformance, "*.log").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var line in bytes.AsSpan().Split((byte)'\n'))
            {
                lines.Add(bytes[line]);
            }
        }

        var state = 0x2545F4914F6CDD1DUL;
        int Next(int bound)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (int)(state % (ulong)bound);
        }

        var result = new List<byte>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].ToList();
            switch (Next(24))
            {
                case 0 when line.Count > 4: line[1 + Next(line.Count - 1)] ^= (byte)(1 << Next(7)); break;
                case 1 when line.Count > 4: line.InsertRange(Next(line.Count), [0xC3, 0xA9]); break;
                case 2 when line.Count > 4: line.Insert(Next(line.Count), 0x00); break;
                case 3 when line.Count > 4: line.Insert(Next(line.Count), 0xFF); break;
                case 4 when line.Count > 4: line = line[..(line.Count / 2)]; break;
                case 5: result.AddRange(line); continue; // joined with the next line
                case 6: line.InsertRange(0, "noise $ "u8.ToArray()); break;
                case 7: line.AddRange(" trailing*junk"u8.ToArray()); break;
                case 8: line.Add((byte)'\r'); break;
                case 9: line = [.. line.Select(b => b is >= (byte)'A' and <= (byte)'F' ? (byte)(b + 32) : b)]; break;
                case 10 when Next(8) == 0:
                    for (var k = 0; k < 90; k++)
                    {
                        result.AddRange(line);
                    }

                    break;
                case 11: line.InsertRange(0, "# comment "u8.ToArray()); break;
                case 12: line.InsertRange(line.Count / 2, "$GPGGA"u8.ToArray()); break;
                case 13: line.Insert(0, 0x85); line.Add(0xA0); break;
                case 14 when Next(4) == 0: line.AddRange(Enumerable.Repeat(line.Where(b => b != (byte)'$').ToArray(), 9).SelectMany(b => b).ToArray()); break;
                default: break;
            }

            result.AddRange(line);
            result.Add((byte)'\n');
        }

        return [.. result];
    }

    private static string DecodeItems(byte[] bytes, int chunk)
    {
        var decoder = new NmeaStreamDecoder(includeSentences: true);
        var items = new StringBuilder();
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            decoder.Write(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
            Drain(decoder, items);
        }

        decoder.Complete();
        Drain(decoder, items);
        return items.ToString();
    }

    private static void Drain(NmeaStreamDecoder decoder, StringBuilder items)
    {
        var c = CultureInfo.InvariantCulture;
        while (decoder.TryRead(out var item))
        {
            items.Append(c, $"{item.Kind} {item.LineNumber}: ");
            if (item.Sentence is { } s)
            {
                items.Append(c, $"{s.Talker} {s.TalkerId} {s.Type} {s.Address} {s.FieldCount} {s.Body} {s} {s.Field(0)} {s.FieldText(s.FieldCount - 1)}");
            }
            else if (item.Epoch is { } e)
            {
                items.Append(c, $"{e.TimeOfDay} {e.Date} {e.DateFromThisEpoch} {e.TimeUtc:O} {e.Latitude:R} {e.Longitude:R} {e.AltitudeMeters:R} {e.FixMode} {e.GgaQuality} ")
                    .Append(c, $"{e.Hdop:R} {e.Pdop:R} {e.Vdop:R} {e.SatellitesUsed} {e.BeiDouSatellitesUsed} [{string.Join(',', e.Constellations.Order())}] ")
                    .Append(c, $"{e.RmcStatus} {e.ModeIndicator} {e.IsSimulated} {e.IsEstimated} {e.HasPosition}");
            }
            else if (item.Diagnostic is { } d)
            {
                items.Append(c, $"{d.LineNumber} {d.Reason} | {d.Text}");
            }

            items.Append('\n');
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(IEnumerable<string> args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.Latin1,
            StandardErrorEncoding = Encoding.Latin1,
        };
        info.ArgumentList.Add(RepositoryPaths.HostDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static int Lines(string text) => text.Count(c => c == '\n');

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
