using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace Provenance.Host.Cli;

/// <summary>
/// Turns the declared verbs into a System.CommandLine tree: one command per word (<c>tags</c> → <c>issue</c>),
/// one option per <see cref="CliOption"/>, a positional argument where the verb takes files, and an action that
/// hands the parsed values to the verb as <see cref="CliArguments"/>.
/// </summary>
internal static class CliCommandTree
{
    public static RootCommand Build(IReadOnlyList<CliVerb> verbs, CliStreams io)
    {
        var root = new RootCommand(CliHelp.Tagline) { HelpName = "provenance" };
        root.SetAction(result =>
        {
            CliHelp.WriteOverview(result.InvocationConfiguration.Output, verbs, root);
            return ExitCodes.Success;
        });

        foreach (var verb in verbs)
        {
            Command parent = root;
            foreach (var word in verb.Words[..^1])
            {
                parent = parent.Subcommands.FirstOrDefault(c => c.Name == word) ?? Add(parent, new Command(word, $"{word} commands"));
            }

            parent.Subcommands.Add(new VerbCommand(verb, io));
        }

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new CliHelpAction(verbs);
        return root;
    }

    public static CliVerb? VerbOf(Command command) => (command as VerbCommand)?.Verb;

    private static Command Add(Command parent, Command child)
    {
        parent.Subcommands.Add(child);
        return child;
    }

    /// <summary>A leaf command: the verb, its options and the action that runs it.</summary>
    private sealed class VerbCommand : Command
    {
        private readonly Dictionary<CliOption, Option> _options = [];
        private readonly Argument<string[]>? _arguments;

        public VerbCommand(CliVerb verb, CliStreams io)
            : base(verb.Words[^1], verb.Summary)
        {
            Verb = verb;
            foreach (var declared in verb.Options)
            {
                Option option = declared.IsFlag
                    ? new Option<bool>($"--{declared.Name}") { Description = declared.Description, Arity = ArgumentArity.Zero }
                    : new Option<string>($"--{declared.Name}") { Description = Describe(declared), HelpName = "VALUE" };
                _options[declared] = option;
                Options.Add(option);
            }

            if (verb.ArgumentsUsage is not null)
            {
                _arguments = new Argument<string[]>(verb.ArgumentsUsage.Trim('[', ']', '.')) { Arity = ArgumentArity.ZeroOrMore, Description = verb.ArgumentsDescription ?? verb.Summary };
                Arguments.Add(_arguments);
            }

            TreatUnmatchedTokensAsErrors = !verb.PassUnknownOptions;
            SetAction((result, cancellationToken) => RunAsync(result, io, cancellationToken));
        }

        public CliVerb Verb { get; }

        private static string Describe(CliOption option) =>
            option.Required ? $"{option.Description} (required)"
            : option.Default is not null ? $"{option.Description} (default: {option.Default})"
            : option.Description;

        private async Task<int> RunAsync(ParseResult result, CliStreams io, CancellationToken cancellationToken)
        {
            try
            {
                var arguments = Bind(result);
                arguments.Out = io.Out;
                arguments.Error = io.Error;
                arguments.Stdin = io.In;
                return await Verb.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (CliUsageException e)
            {
                await io.Error.WriteLineAsync($"provenance {Verb.Name}: {e.Message}").ConfigureAwait(false);
                await io.Error.WriteLineAsync($"Run 'provenance {Verb.Name} --help' for usage.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (CliFailureException e)
            {
                await io.Error.WriteLineAsync($"provenance {Verb.Name}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        }

        private CliArguments Bind(ParseResult result)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (declared, option) in _options)
            {
                if (result.GetResult(option) is not { Implicit: false })
                {
                    if (declared.Default is not null && !declared.IsFlag)
                    {
                        values[declared.Name] = declared.Default;
                    }
                    else if (declared.Required)
                    {
                        throw new CliUsageException($"--{declared.Name} is required ({declared.Description}).");
                    }

                    continue;
                }

                if (declared.IsFlag)
                {
                    flags.Add(declared.Name);
                }
                else
                {
                    values[declared.Name] = result.GetValue((Option<string>)option) ?? string.Empty;
                }
            }

            var positionals = _arguments is null ? [] : result.GetValue(_arguments) ?? [];
            var passThrough = Verb.PassUnknownOptions ? result.UnmatchedTokens : [];
            return new CliArguments(values, flags, positionals, passThrough);
        }
    }

    /// <summary><c>--help</c>: the verb's usage, description, options and exit codes, or the list of verbs.</summary>
    private sealed class CliHelpAction(IReadOnlyList<CliVerb> verbs) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var output = parseResult.InvocationConfiguration.Output;
            var command = parseResult.CommandResult.Command;
            if (VerbOf(command) is { } verb)
            {
                CliHelp.WriteVerb(parseResult, verb);
            }
            else
            {
                CliHelp.WriteOverview(output, verbs, command);
            }

            return ExitCodes.Success;
        }
    }

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
