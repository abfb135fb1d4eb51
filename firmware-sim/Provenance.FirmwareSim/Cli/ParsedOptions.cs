using System.CommandLine;
using System.CommandLine.Parsing;

namespace Provenance.FirmwareSim.Cli;

/// <summary>
/// Tokenizes a command line with System.CommandLine against declared options (<c>--name value</c>, <c>--name=value</c>,
/// switches, response files <c>@file</c>) and returns the options given, in the order given, or throws
/// <see cref="CommandLineException"/> naming the offending option.
/// </summary>
internal static class ParsedOptions
{
    /// <summary>A command with one option per declared name; switches take no value.</summary>
    public static Command Declare(Command command, IEnumerable<(string Name, string Description, bool IsSwitch, string? ValueName)> options)
    {
        foreach (var (name, description, isSwitch, valueName) in options)
        {
            command.Options.Add(isSwitch
                ? new Option<bool>($"--{name}") { Description = description, Arity = ArgumentArity.Zero }
                : new Option<string>($"--{name}") { Description = description, HelpName = valueName });
        }

        // Help is handled by the program (firmware-sim prints more than the options); there is no version to show.
        foreach (var builtIn in command.Options.Where(o => o is VersionOption).ToList())
        {
            command.Options.Remove(builtIn);
        }

        command.TreatUnmatchedTokensAsErrors = true;
        return command;
    }

    /// <summary>The options given on <paramref name="args"/>, in order, as (name without dashes, value; "true" for a switch).</summary>
    public static List<(string Name, string Value)> Read(Command command, IReadOnlyList<string> args, string helpHint)
    {
        var result = command.Parse(args);
        foreach (var token in result.UnmatchedTokens)
        {
            throw token.StartsWith('-')
                ? new CommandLineException(token.TrimStart('-').Split('=')[0], $"unknown option ({helpHint})")
                : new CommandLineException(null, $"unexpected argument '{token}' (options start with --; {helpHint})");
        }

        foreach (var error in result.Errors)
        {
            var option = (error.SymbolResult as OptionResult)?.Option.Name.TrimStart('-');
            throw new CommandLineException(option, option is null ? error.Message : Describe(error.Message, option));
        }

        var given = new List<(string, string)>();
        foreach (var option in command.Options.Where(o => o is Option<string> or Option<bool> && o is not System.CommandLine.Help.HelpOption))
        {
            if (result.GetResult(option) is not { Implicit: false } found)
            {
                continue;
            }

            var name = option.Name[2..];
            if (found.IdentifierTokenCount > 1)
            {
                throw new CommandLineException(name, "given more than once");
            }

            var value = option is Option<bool> ? "true" : result.GetValue((Option<string>)option) ?? string.Empty;
            given.Add((name, value));
        }

        // Later options may override earlier ones (e.g. --port after --connection-string): keep the command line's order.
        return [.. given.OrderBy(g => IndexOf(result, g.Item1))];
    }

    /// <summary>System.CommandLine's generated help for <paramref name="command"/>.</summary>
    public static string Help(Command command)
    {
        using var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        command.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });
        return output.ToString();
    }

    private static int IndexOf(ParseResult result, string name)
    {
        var tokens = result.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Option && tokens[i].Value == $"--{name}")
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static string Describe(string message, string option) =>
        message.Contains("Required argument missing", StringComparison.OrdinalIgnoreCase) ? "needs a value"
        : message.Contains("expects a single argument", StringComparison.OrdinalIgnoreCase) ? "given more than once"
        : message.Replace($"'--{option}' ", string.Empty, StringComparison.Ordinal);
}
