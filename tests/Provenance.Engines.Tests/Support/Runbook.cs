using System.Text;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// The command blocks of deploy/README.md marked <c>&lt;!-- runbook: NAME --&gt;</c>: the lines of the fenced block that
/// follows the marker, and the words of a command line split as a shell does for plain double- and single-quoted words.
/// </summary>
internal static class Runbook
{
    public static string Path => System.IO.Path.Combine(RepoPaths.Deploy, "README.md");

    public static IReadOnlyList<string> Block(string name)
    {
        var lines = File.ReadAllLines(Path);
        var marker = Array.FindIndex(lines, l => l.Trim() == $"<!-- runbook: {name} -->");
        Assert.True(marker >= 0, $"deploy/README.md has no '<!-- runbook: {name} -->' block");
        var open = Array.FindIndex(lines, marker + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        Assert.True(open == marker + 1 && close > open, $"the '{name}' marker must be followed directly by a fenced block");
        return lines[(open + 1)..close].Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
    }

    /// <summary>Splits a command line into words: whitespace separates, quotes group (no escapes, no expansion).</summary>
    public static IReadOnlyList<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        Assert.True(quote is null, $"unbalanced quote in: {line}");
        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
