using System.Text.RegularExpressions;
using Provenance.Host.Cli;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Cli;

/// <summary>The README is what a new operator copies: every <c>provenance</c> command it shows must exist and take the options it shows.</summary>
public sealed partial class CliReadmeTests
{
    [Fact]
    public async Task Every_command_the_readme_shows_exists_and_its_help_lists_every_option_shown()
    {
        var uses = ReadmeUses().ToList();
        Assert.True(uses.Count >= 20, $"expected the README's command examples, found {uses.Count}");

        var missing = new List<string>();
        foreach (var (line, words, options) in uses)
        {
            var verb = CommandLine.Verbs.Where(v => words.Take(v.Words.Length).SequenceEqual(v.Words)).MaxBy(v => v.Words.Length);
            if (verb is null)
            {
                missing.Add($"no verb for: {line}");
                continue;
            }

            var help = new StringWriter();
            Assert.Equal(0, await CommandLine.RunAsync([.. verb.Words, "--help"], help, new StringWriter()));
            missing.AddRange(options.Where(o => !help.ToString().Contains($"--{o} ", StringComparison.Ordinal)).Select(o => $"'provenance {verb.Name} --help' does not list --{o} shown in: {line}"));
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task An_option_the_verb_does_not_take_is_refused_so_the_readme_check_can_fail()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await CommandLine.RunAsync(["keys", "list", "--gtin", "1"], new StringWriter(), stderr));
        Assert.Contains("unknown option --gtin", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_can_come_from_a_response_file()
    {
        using var dir = new TempDirectory("prov-rsp");
        var rsp = dir.Combine("site.rsp");
        await File.WriteAllLinesAsync(rsp, ["--id plant-rsp", "--name \"Response file plant\"", "--lat -33.5", "--lon 106.37", $"--data {dir.Combine("data")}"]);
        var stdout = new StringWriter();

        Assert.Equal(0, await CommandLine.RunAsync(["sites", "add", $"@{rsp}"], stdout, new StringWriter()));
        Assert.Contains("site plant-rsp added: -33.5, 106.37", stdout.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<(string Line, string[] Words, string[] Options)> ReadmeUses()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (Match use in Use().Matches(readme))
        {
            var text = use.Groups["cmd"].Value;
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(w => Word().IsMatch(w)).ToArray();
            if (words.Length == 0 || !CommandLine.Verbs.Any(v => v.Words[0] == words[0]))
            {
                continue; // prose such as `provenance inner code v1` (an HKDF label), not a command
            }

            var options = LowerOption().Matches(text).Select(m => m.Groups[1].Value).Where(o => o != "help").Distinct().ToArray();
            yield return (text.Trim(), words, options);
        }
    }

    // A command line in a code block ("provenance verb …" up to a '#' comment) or an inline code span (`provenance verb …`).
    [GeneratedRegex(@"(?m)(?:^provenance |`provenance )(?<cmd>[a-z][^`#\n]*)")]
    private static partial Regex Use();

    [GeneratedRegex(@"^[a-z][a-z-]*$")]
    private static partial Regex Word();

    [GeneratedRegex(@"--([a-z][a-z0-9-]*)\b(?![:])")]
    private static partial Regex LowerOption();
}
