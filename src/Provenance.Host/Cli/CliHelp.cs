using System.CommandLine;
using System.CommandLine.Help;

namespace Provenance.Host.Cli;

/// <summary>
/// The help pages: for a verb, the description, usage and options System.CommandLine generates from the
/// declarations, then its details and exit codes; for the root and command groups, every verb by its full name.
/// </summary>
internal static class CliHelp
{
    public const string Tagline = "provenance: anti-counterfeiting and provenance backend.";

    /// <summary>
    /// The usage line a user copies, the summary and details, then the Arguments and Options sections that
    /// System.CommandLine generates from the declarations, then the exit codes.
    /// </summary>
    public static void WriteVerb(ParseResult parseResult, CliVerb verb)
    {
        var output = parseResult.InvocationConfiguration.Output;
        output.Write($"Usage: provenance {verb.Name}");
        output.Write(verb.Options.Count > 0 ? " [options]" : string.Empty);
        output.WriteLine(verb.ArgumentsUsage is null ? string.Empty : $" {verb.ArgumentsUsage}");
        output.WriteLine();
        output.WriteLine(verb.Summary);
        if (verb.Details is not null)
        {
            output.WriteLine();
            output.WriteLine(verb.Details.TrimEnd());
        }

        output.WriteLine();
        foreach (var section in GeneratedSections(parseResult, "Arguments:", "Options:"))
        {
            output.WriteLine(section);
            output.WriteLine();
        }

        output.WriteLine("Exit codes:");
        foreach (var (code, meaning) in verb.ExitCodes ?? ExitCodes.Default)
        {
            output.WriteLine($"  {CliCommandTree.Invariant(code),-4}{meaning}");
        }
    }

    private static IEnumerable<string> GeneratedSections(ParseResult parseResult, params string[] titles)
    {
        var invocation = parseResult.InvocationConfiguration;
        var output = invocation.Output;
        using var generated = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        invocation.Output = generated;
        try
        {
            new HelpAction().Invoke(parseResult);
        }
        finally
        {
            invocation.Output = output;
        }

        var blocks = generated.ToString().ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        return blocks.Where(b => titles.Any(t => b.StartsWith(t, StringComparison.Ordinal))).Select(b => b.TrimEnd());
    }

    public static void WriteOverview(TextWriter output, IReadOnlyList<CliVerb> verbs, Command command)
    {
        output.WriteLine(Tagline);
        output.WriteLine();
        output.WriteLine("Usage: provenance COMMAND [options]     (provenance COMMAND --help for details)");
        output.WriteLine();
        output.WriteLine("Commands:");
        var prefix = Words(command);
        var listed = verbs.Where(v => v.Words.Take(prefix.Count).SequenceEqual(prefix, StringComparer.Ordinal)).ToList();
        if (listed.Count == 0)
        {
            listed = [.. verbs];
        }

        var width = listed.Max(v => v.Name.Length) + 2;
        foreach (var verb in listed)
        {
            output.WriteLine($"  {verb.Name.PadRight(width)}{verb.Summary}");
        }

        output.WriteLine();
        output.WriteLine("Options may also come from a response file: provenance VERB @args.rsp (split on spaces and lines; quote values with spaces).");
    }

    private static List<string> Words(Command command)
    {
        var words = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            words.Insert(0, c.Name);
        }

        return words;
    }
}
