using System.Text;
using BenchmarkDotNet.Attributes;
using Provenance.Bench.Harness;
using Provenance.Core.Nmea;

namespace Provenance.Bench.Micro;

/// <summary>NMEA: <see cref="NmeaStreamDecoder"/> over the conformance logs against reading the same bytes line by line.</summary>
public class NmeaBenchmarks
{
    private byte[] _log = [];

    /// <summary>Lines in one operation's input (to turn time per operation into sentences per second).</summary>
    public static long Lines { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _log = NmeaCorpus.Load(copies: 20);
        Lines = _log.Count(b => b == (byte)'\n');
    }

    [Benchmark(Baseline = true)]
    public int ReadLines()
    {
        using var reader = new StreamReader(new MemoryStream(_log, writable: false), Encoding.ASCII);
        var n = 0;
        while (reader.ReadLine() is not null)
        {
            n++;
        }

        return n;
    }

    [Benchmark]
    public int Decode()
    {
        var decoder = new NmeaStreamDecoder();
        var epochs = 0;
        for (var offset = 0; offset < _log.Length; offset += 65536)
        {
            decoder.Write(_log.AsSpan(offset, Math.Min(65536, _log.Length - offset)));
            while (decoder.TryRead(out var item))
            {
                epochs += item.Epoch is { HasPosition: true } ? 1 : 0;
            }
        }

        decoder.Complete();
        while (decoder.TryRead(out var item))
        {
            epochs += item.Epoch is { HasPosition: true } ? 1 : 0;
        }

        return epochs;
    }
}
