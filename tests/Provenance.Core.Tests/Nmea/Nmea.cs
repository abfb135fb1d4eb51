using Provenance.Core.Nmea;

namespace Provenance.Core.Tests.Nmea;

/// <summary>Test helpers: sentences with correct checksums, parsed.</summary>
internal static class Nmea
{
    public static NmeaSentence Sentence(string withoutChecksum)
    {
        var result = NmeaParser.Parse(NmeaChecksum.Append(withoutChecksum));
        Assert.True(result.IsSuccess, result.Reason);
        return result.Sentence;
    }

    public static List<FixEpoch> Assemble(params string[] sentences)
    {
        var assembler = new FixEpochAssembler();
        var epochs = new List<FixEpoch>();
        foreach (var s in sentences)
        {
            if (assembler.Add(Sentence(s)) is { } epoch)
            {
                epochs.Add(epoch);
            }
        }

        if (assembler.Flush() is { } last)
        {
            epochs.Add(last);
        }

        return epochs;
    }
}
