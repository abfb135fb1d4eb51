using Provenance.Host.Cli;

namespace Provenance.Host.Tests.Cli;

public sealed class CliHelpTests
{
    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        foreach (var verb in CommandLine.Verbs)
        {
            data.Add(verb.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_answers_help_with_its_usage_and_options(string verb)
    {
        var stdout = new StringWriter();
        var code = await CommandLine.RunAsync([.. verb.Split(' '), "--help"], stdout, new StringWriter());

        Assert.Equal(0, code);
        Assert.StartsWith($"Usage: provenance {verb}", stdout.ToString(), StringComparison.Ordinal);
        foreach (var option in CommandLine.Verbs.Single(v => v.Name == verb).Options)
        {
            Assert.Contains($"--{option.Name}", stdout.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_option_exits_2_and_says_what_to_do()
    {
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["sites", "add", "--colour", "red"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains("unknown option --colour", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("provenance sites add --help", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_option_names_it()
    {
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["products", "add", "--name", "x"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains("--gtin is required", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_overview_lists_every_verb()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["--help"], stdout, new StringWriter()));
        foreach (var verb in CommandLine.Verbs)
        {
            Assert.Contains(verb.Name, stdout.ToString(), StringComparison.Ordinal);
        }
    }
}
