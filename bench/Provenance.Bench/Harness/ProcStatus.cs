using System.Globalization;

namespace Provenance.Bench.Harness;

/// <summary>Reads a process's memory figures from <c>/proc/PID/status</c> (Linux).</summary>
public static class ProcStatus
{
    /// <summary>Peak resident set size (VmHWM) in MiB, or NaN when unavailable.</summary>
    public static double PeakRssMiB(int pid) => ReadKiB(pid, "VmHWM:") / 1024.0;

    /// <summary>Current resident set size (VmRSS) in MiB, or NaN when unavailable.</summary>
    public static double RssMiB(int pid) => ReadKiB(pid, "VmRSS:") / 1024.0;

    private static double ReadKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var digits = line[field.Length..].Trim().Split(' ')[0];
                    return double.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }
}
