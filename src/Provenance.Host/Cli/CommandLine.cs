using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Provenance.Host.Cli;

/// <summary>
/// <c>provenance VERB [WORDS...] [--options]</c>, parsed by System.CommandLine from the declarations in
/// <see cref="VerbCatalog"/> (POSIX conventions, <c>--opt=value</c>, response files <c>@file</c>, <c>[suggest]</c>
/// completions). Exit codes (<see cref="ExitCodes"/>): 0 success, 1 the work failed, 2 the command line or configuration is wrong.
/// </summary>
internal static class CommandLine
{
    public static IReadOnlyList<CliVerb> Verbs { get; } = VerbCatalog.All();

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null, CancellationToken cancellationToken = default)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var io = new CliStreams(stdout, stderr, stdin ?? Console.In);
        var root = CliCommandTree.Build(Verbs, io);
        var result = root.Parse(args.Length > 0 && args[0] == "help" ? ["--help", .. args[1..]] : args);

        if (result.Action is ParseErrorAction)
        {
            await ReportAsync(result, stdout, stderr).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        return await result.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ReportAsync(ParseResult result, TextWriter stdout, TextWriter stderr)
    {
        var command = result.CommandResult.Command;
        if (CliCommandTree.VerbOf(command) is not { } verb)
        {
            var words = string.Join(' ', result.Tokens.TakeWhile(t => t.Type != TokenType.Option && !t.Value.StartsWith('-')).Select(t => t.Value));
            await stderr.WriteLineAsync($"Unknown command '{words}'. Run 'provenance --help' for the list.").ConfigureAwait(false);
            CliHelp.WriteOverview(stdout, Verbs, command);
            return;
        }

        foreach (var message in Messages(result))
        {
            await stderr.WriteLineAsync($"provenance {verb.Name}: {message}").ConfigureAwait(false);
        }

        await stderr.WriteLineAsync($"Run 'provenance {verb.Name} --help' for usage.").ConfigureAwait(false);
    }

    private static IEnumerable<string> Messages(ParseResult result)
    {
        var unknown = result.UnmatchedTokens.Where(t => t.StartsWith('-')).ToHashSet(StringComparer.Ordinal);
        foreach (var token in unknown)
        {
            yield return $"unknown option {token}.";
        }

        // The value after an unknown option is unmatched too; naming the option is enough.
        var unmatched = unknown.Count > 0 ? result.UnmatchedTokens : [];
        foreach (var error in result.Errors)
        {
            if (!unmatched.Any(u => error.Message.Contains($"'{u}'", StringComparison.Ordinal)))
            {
                yield return error.Message;
            }
        }
    }
}
