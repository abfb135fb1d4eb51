using System.Text;
using Provenance.Core.Nmea;

namespace Provenance.Core.Tests.Nmea;

public sealed class NmeaStreamDecoderTests
{
    private static readonly string Rmc1 = NmeaChecksum.Append("$GNRMC,120000.00,A,4807.038,N,01131.000,E,0.0,0.0,010524,,,A");
    private static readonly string Gga1 = NmeaChecksum.Append("$GNGGA,120000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");
    private static readonly string Gga2 = NmeaChecksum.Append("$GNGGA,120001.00,4807.040,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");

    [Fact]
    public void Bytes_split_anywhere_with_CRLF_LF_and_a_leading_space_decode_to_epochs()
    {
        var bytes = Encoding.ASCII.GetBytes($" {Rmc1}\r\n{Gga1}\n{Gga2}");
        var decoder = new NmeaStreamDecoder();
        foreach (var chunk in bytes.Chunk(7))
        {
            decoder.Write(chunk);
        }

        decoder.Complete();
        var (epochs, diagnostics) = Drain(decoder);

        Assert.Empty(diagnostics);
        Assert.Equal(2, epochs.Count);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 1, TimeSpan.Zero), epochs[1].TimeUtc);
        Assert.Equal(3, decoder.LineNumber);
    }

    [Fact]
    public void Garbage_bad_checksums_truncated_lines_and_binary_noise_are_reported_with_line_numbers_and_skipped()
    {
        var decoder = new NmeaStreamDecoder();
        var lines = new[]
        {
            Rmc1,
            "random text",
            Gga1.Replace(",1,08,", ",1,09,", StringComparison.Ordinal),
            "$GNGGA,120000.00,4807.0",
            "\u0001\u00b5b\u0002\u0003" + Gga1,
            Gga2 + "\u00ff\u00fe",
            "",
        };
        var bytes = Encoding.Latin1.GetBytes(string.Join('\n', lines));
        decoder.Write(bytes);
        decoder.Complete();

        var (epochs, diagnostics) = Drain(decoder);

        Assert.Equal(2, epochs.Count);
        Assert.Equal(8, epochs[0].SatellitesUsed);
        Assert.Collection(
            diagnostics,
            d => Assert.Equal((2L, "not an NMEA sentence (no '$')"), (d.LineNumber, d.Reason)),
            d => Assert.Equal(3L, d.LineNumber),
            d => Assert.Equal((4L, "missing checksum (truncated sentence?)"), (d.LineNumber, d.Reason)),
            d => Assert.Equal((5L, "noise before sentence", "??b??"), (d.LineNumber, d.Reason, d.Text)),
            d => Assert.Equal((6L, "noise after sentence"), (d.LineNumber, d.Reason)));
        Assert.StartsWith("bad checksum", diagnostics[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_sentences_concatenated_on_one_line_are_both_decoded()
    {
        var decoder = new NmeaStreamDecoder(includeSentences: true);
        decoder.WriteLine(Rmc1 + Gga1);
        decoder.Complete();

        var sentences = new List<NmeaSentence>();
        while (decoder.TryRead(out var item))
        {
            if (item.Sentence is { } s)
            {
                sentences.Add(s);
            }
        }

        Assert.Equal(["RMC", "GGA"], sentences.Select(s => s.Type));
    }

    [Fact]
    public void A_runaway_line_without_newline_is_reported_once()
    {
        var decoder = new NmeaStreamDecoder();
        decoder.Write(new byte[NmeaStreamDecoder.MaxLineLength + 10]);
        decoder.Write(Encoding.ASCII.GetBytes("\n" + Gga1 + "\n"));
        decoder.Complete();

        var (epochs, diagnostics) = Drain(decoder);

        Assert.Single(epochs);
        Assert.Equal(1L, Assert.Single(diagnostics).LineNumber);
    }

    [Fact]
    public void Writing_after_complete_is_refused()
    {
        var decoder = new NmeaStreamDecoder();
        decoder.Complete();

        Assert.Throws<InvalidOperationException>(() => decoder.WriteLine(Gga1));
    }

    private static (List<FixEpoch> Epochs, List<NmeaDiagnostic> Diagnostics) Drain(NmeaStreamDecoder decoder)
    {
        var epochs = new List<FixEpoch>();
        var diagnostics = new List<NmeaDiagnostic>();
        while (decoder.TryRead(out var item))
        {
            if (item.Epoch is { } e)
            {
                epochs.Add(e);
            }

            if (item.Diagnostic is { } d)
            {
                diagnostics.Add(d);
            }
        }

        return (epochs, diagnostics);
    }
}
