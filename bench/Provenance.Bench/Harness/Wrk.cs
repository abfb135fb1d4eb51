using System.Globalization;
using System.Text.RegularExpressions;

namespace Provenance.Bench.Harness;

/// <summary>Runs Debian's <c>wrk</c> and reads its requests per second and non-2xx count.</summary>
public static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(string url, TimeSpan duration, int connections, string? script = null, CancellationToken cancellationToken = default, double? delayMs = null, int threads = 2)
    {
        List<string> args = [$"-t{threads}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-H", "Accept: application/json"];
        if (script is not null)
        {
            if (delayMs is { } delay)
            {
                var paced = script + ".paced.lua";
                await File.WriteAllTextAsync(paced, await File.ReadAllTextAsync(script, cancellationToken) + $"\nfunction delay()\n  return {delay.ToString("0.###", CultureInfo.InvariantCulture)}\nend\n", cancellationToken);
                script = paced;
            }

            args.AddRange(["-s", script]);
        }

        args.Add(url);
        var result = await ProcessRunner.RunAsync("wrk", args, cancellationToken: cancellationToken);
        var rps = RequestsPerSecond().Match(result.StandardOutput);
        if (result.ExitCode != 0 || !rps.Success)
        {
            throw new InvalidOperationException($"wrk failed ({result.ExitCode}): {result.StandardOutput}\n{result.StandardError}");
        }

        var non2xx = Non2xx().Match(result.StandardOutput);
        return new WrkResult(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Percentile(result.StandardOutput, "50%"),
            Percentile(result.StandardOutput, "99%"));
    }

    /// <summary>Reads a line of wrk's latency distribution ("    99%   12.34ms") in milliseconds.</summary>
    private static double Percentile(string output, string label)
    {
        var m = Regex.Match(output, @"^\s*" + Regex.Escape(label) + @"\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            return double.NaN;
        }

        var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
    }

    /// <summary>A Lua script that walks a list of request paths (one per line), each thread from its own offset.</summary>
    /// <summary>Writes <paramref name="paths"/> and the <see cref="PathListScript"/> over them into <paramref name="temp"/>; returns the script.</summary>
    public static async Task<string> WritePathListScriptAsync(TempDirectory temp, IEnumerable<string> paths, string name, CancellationToken cancellationToken)
    {
        var pathsFile = temp.Combine($"{name}-paths.txt");
        await File.WriteAllLinesAsync(pathsFile, paths, cancellationToken);
        var script = temp.Combine($"{name}.lua");
        await File.WriteAllTextAsync(script, PathListScript(pathsFile), cancellationToken);
        return script;
    }

    public static string PathListScript(string pathsFile) => $$"""
        local paths = {}
        for line in io.lines("{{pathsFile}}") do paths[#paths + 1] = line end
        local counter = 0
        function init(args)
          math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
          counter = math.random(#paths)
        end
        function request()
          counter = counter % #paths + 1
          return wrk.format("GET", paths[counter])
        end
        """;

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xx();
}
