namespace Provenance.FirmwareSim.Cli;

/// <summary>
/// Reads a code list: a CSV file whose header row has a <c>url</c> column (as <c>provenance tags issue</c> writes),
/// or a plain text file of URLs, one a line (blank lines and lines starting with '#' are skipped).
/// </summary>
public static class CodeList
{
    /// <summary>Loads the URLs in file order; throws <see cref="CommandLineException"/> naming <c>--codes</c> on a bad file.</summary>
    public static IReadOnlyList<string> Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException("codes", $"cannot read '{path}': {e.Message}");
        }

        var first = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l) && !l.TrimStart().StartsWith('#'));
        if (first < 0)
        {
            throw new CommandLineException("codes", $"'{path}' has no codes");
        }

        var header = SplitCsv(lines[first]);
        var column = header.FindIndex(h => string.Equals(h.Trim(), "url", StringComparison.OrdinalIgnoreCase));
        var codes = new List<string>(lines.Length);
        if (column < 0)
        {
            if (header.Count > 1 || !lines[first].Contains("://", StringComparison.Ordinal))
            {
                throw new CommandLineException("codes", header.Count > 1
                    ? $"'{path}' has no 'url' column (its header is '{lines[first].Trim()}'): pass the CSV that 'provenance tags issue' wrote (its first column is url), or a text file with one URL a line"
                    : $"'{path}' is neither a CSV with a 'url' column nor a list of URLs: pass the CSV that 'provenance tags issue' wrote, or a text file with one URL a line");
            }

            codes.AddRange(lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
            return codes;
        }

        for (var i = first + 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var fields = SplitCsv(lines[i]);
            if (column >= fields.Count || fields[column].Trim().Length == 0)
            {
                throw new CommandLineException("codes", $"'{path}' line {i + 1} has no url");
            }

            codes.Add(fields[column].Trim());
        }

        return codes.Count > 0 ? codes : throw new CommandLineException("codes", $"'{path}' has no codes");
    }

    /// <summary>Splits one RFC 4180 CSV line (quoted fields, doubled quotes).</summary>
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
