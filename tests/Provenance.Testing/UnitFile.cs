namespace Provenance.Testing;

/// <summary>A systemd unit file parsed into sections of (key, value) entries in file order (repeated keys kept).</summary>
public sealed class UnitFile
{
    private UnitFile(Dictionary<string, List<(string Key, string Value)>> sections) => Sections = sections;

    public Dictionary<string, List<(string Key, string Value)>> Sections { get; }

    public static string ShippedPath => Path.Combine(RepoPaths.Deploy, "systemd", "provenance.service");

    public static UnitFile Shipped { get; } = Parse(File.ReadAllLines(ShippedPath));

    /// <summary>Every value of <paramref name="key"/> in <paramref name="section"/>, in file order.</summary>
    public List<string> All(string section, string key) =>
        Sections.TryGetValue(section, out var e) ? e.Where(x => x.Key == key).Select(x => x.Value).ToList() : [];

    public static UnitFile Parse(IEnumerable<string> lines)
    {
        var result = new Dictionary<string, List<(string, string)>>();
        List<(string, string)>? current = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = [];
                result.Add(line[1..^1], current);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (current is null || eq <= 0)
            {
                throw new FormatException($"not a unit-file line: {raw}");
            }

            current.Add((line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }

        return new UnitFile(result);
    }
}
