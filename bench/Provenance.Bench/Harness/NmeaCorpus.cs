namespace Provenance.Bench.Harness;

/// <summary>The conformance NMEA logs (<c>../shared/conformance/nmea/*.log</c>) concatenated, repeated to a measurable size.</summary>
public static class NmeaCorpus
{
    public static byte[] Load(int copies)
    {
        var files = Directory.GetFiles(RepoPaths.NmeaConformance)
            .Where(f => f.EndsWith(".log", StringComparison.Ordinal)) // not the *.log.chk expectations next to them
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new IOException($"no *.log in {RepoPaths.NmeaConformance}");
        }

        using var all = new MemoryStream();
        for (var i = 0; i < copies; i++)
        {
            foreach (var f in files)
            {
                var bytes = File.ReadAllBytes(f);
                all.Write(bytes);
                if (bytes.Length > 0 && bytes[^1] != (byte)'\n')
                {
                    all.WriteByte((byte)'\n');
                }
            }
        }

        return all.ToArray();
    }
}
