using System.Text;

namespace Provenance.Host.Cli;

/// <summary>
/// Dispatches <c>provenance VERB [WORDS...] [--options]</c> to the verb that matches the longest run of words.
/// Exit codes (<see cref="ExitCodes"/>): 0 success, 1 the work failed, 2 the command line or configuration is wrong.
/// </summary>
internal static class CommandLine
{
    public static IReadOnlyList<CliVerb> Verbs { get; } = VerbCatalog.All();

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null, CancellationToken cancellationToken = default)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var words = args.TakeWhile(a => !a.StartsWith('-')).ToArray();
        var verb = Verbs
            .Where(v => v.Words.Length <= words.Length && v.Words.SequenceEqual(words.Take(v.Words.Length), StringComparer.Ordinal))
            .MaxBy(v => v.Words.Length);

        var wantsHelp = args.Contains("--help") || args.Contains("-h");
        if (verb is null)
        {
            if (args.Length > 0 && !wantsHelp && args[0] != "help")
            {
                await stderr.WriteLineAsync($"Unknown command '{string.Join(' ', words)}'. Run 'provenance --help' for the list.").ConfigureAwait(false);
                await stdout.WriteAsync(Overview(words)).ConfigureAwait(false);
                return 2;
            }

            await stdout.WriteAsync(Overview(words)).ConfigureAwait(false);
            return 0;
        }

        if (wantsHelp)
        {
            await stdout.WriteAsync(Help(verb)).ConfigureAwait(false);
            return 0;
        }

        try
        {
            var parsed = Parse(verb, args.Skip(verb.Words.Length).ToArray());
            parsed.Out = stdout;
            parsed.Error = stderr;
            parsed.Stdin = stdin ?? Console.In;
            return await verb.RunAsync(parsed, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync($"provenance {verb.Name}: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync($"Run 'provenance {verb.Name} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (CliFailureException e)
        {
            await stderr.WriteLineAsync($"provenance {verb.Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private static CliArguments Parse(CliVerb verb, string[] rest)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var passThrough = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            var token = rest[i];
            if (token == "-" || !token.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(token);
                continue;
            }

            var name = token[2..];
            string? inlineValue = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            var option = verb.Options.FirstOrDefault(o => o.Name == name);
            if (option is null)
            {
                if (!verb.PassUnknownOptions)
                {
                    throw new CliUsageException($"unknown option --{name}.");
                }

                passThrough.Add(token);
                if (inlineValue is null && i + 1 < rest.Length && !rest[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    passThrough.Add(rest[++i]);
                }

                continue;
            }

            if (option.IsFlag)
            {
                flags.Add(name);
                continue;
            }

            var value = inlineValue ?? (i + 1 < rest.Length ? rest[++i] : throw new CliUsageException($"--{name} needs a value."));
            values[name] = value;
        }

        foreach (var option in verb.Options)
        {
            if (!values.ContainsKey(option.Name) && option.Default is not null && !option.IsFlag)
            {
                values[option.Name] = option.Default;
            }

            if (option.Required && !values.ContainsKey(option.Name))
            {
                throw new CliUsageException($"--{option.Name} is required ({option.Description}).");
            }
        }

        return new CliArguments(values, flags, positionals, passThrough);
    }

    private static string Overview(string[] prefix)
    {
        var sb = new StringBuilder();
        sb.AppendLine("provenance: anti-counterfeiting and provenance backend.");
        sb.AppendLine();
        sb.AppendLine("Usage: provenance COMMAND [options]     (provenance COMMAND --help for details)");
        sb.AppendLine();
        sb.AppendLine("Commands:");
        var listed = Verbs.Where(v => prefix.Length == 0 || v.Words[0] == prefix[0]).ToList();
        if (listed.Count == 0)
        {
            listed = [.. Verbs];
        }

        var width = listed.Count == 0 ? 0 : listed.Max(v => v.Name.Length) + 2;
        foreach (var v in listed)
        {
            sb.Append("  ").Append(v.Name.PadRight(width)).AppendLine(v.Summary);
        }

        return sb.ToString();
    }

    private static string Help(CliVerb verb)
    {
        var sb = new StringBuilder();
        sb.Append("Usage: provenance ").Append(verb.Name);
        if (verb.Options.Count > 0)
        {
            sb.Append(" [options]");
        }

        if (verb.ArgumentsUsage is not null)
        {
            sb.Append(' ').Append(verb.ArgumentsUsage);
        }

        sb.AppendLine().AppendLine().AppendLine(verb.Summary);
        if (verb.Details is not null)
        {
            sb.AppendLine().AppendLine(verb.Details);
        }

        var width = verb.Options.Count == 0 ? 8 : verb.Options.Max(o => o.Name.Length + (o.IsFlag ? 0 : 8)) + 4;
        sb.AppendLine().AppendLine("Options:");
        if (verb.Options.Count > 0)
        {
            foreach (var o in verb.Options)
            {
                var left = o.IsFlag ? $"--{o.Name}" : $"--{o.Name} VALUE";
                sb.Append("  ").Append(left.PadRight(width)).Append(o.Description);
                if (o.Required)
                {
                    sb.Append(" (required)");
                }
                else if (o.Default is not null)
                {
                    sb.Append(" (default: ").Append(o.Default).Append(')');
                }

                sb.AppendLine();
            }
        }

        sb.AppendLine("  --help".PadRight(width + 2) + "Show this help.");
        sb.AppendLine().AppendLine("Exit codes:");
        foreach (var (code, meaning) in verb.ExitCodes ?? ExitCodes.Default)
        {
            sb.Append("  ").Append(code.ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(4)).AppendLine(meaning);
        }

        return sb.ToString();
    }
}
