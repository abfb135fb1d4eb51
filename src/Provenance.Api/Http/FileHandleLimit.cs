using System.Globalization;

namespace Provenance.Api.Http;

/// <summary>The process's open-file limit (the soft <c>RLIMIT_NOFILE</c>, which the .NET runtime raises to the hard one at start).</summary>
public static class FileHandleLimit
{
    /// <summary>The limit from <c>/proc/self/limits</c>; null where that file does not exist (not Linux) or says "unlimited".</summary>
    public static long? Current()
    {
        const string Path = "/proc/self/limits";
        if (!File.Exists(Path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(Path))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
        }

        return null;
    }

    /// <summary>How many connections fit: at most <paramref name="configured"/>, and <paramref name="reserve"/> below the file limit.</summary>
    public static int ConnectionBudget(int configured, int reserve, long? fileLimit) =>
        fileLimit is { } limit ? (int)Math.Clamp(limit - reserve, 1, configured) : configured;
}
