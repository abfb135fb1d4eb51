using System.Globalization;

namespace Provenance.Ingestion.Broker.Internal;

/// <summary>
/// How many file handles the process may still open: its soft limit (<c>/proc/self/limits</c>) minus those open
/// (<c>/proc/self/fd</c>); both are read at most every 200 ms (the limit can be changed under a running process), and
/// what this broker admitted since is added. A connection is admitted only while more than the reserve would remain,
/// so the process never reaches the limit through the MQTT port (at the limit .NET cannot even open the database).
/// Where /proc is missing the budget is unlimited. Thread-safe.
/// </summary>
internal sealed class FileHandleBudget(int reserve)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(200);
    private readonly Lock _gate = new();
    private long _limit = ReadLimit();
    private long _sampled;
    private long? _sampledAt;
    private long _admittedSince;

    public long Limit => Interlocked.Read(ref _limit);

    /// <summary>True, and one handle counted, when opening one more leaves more than the reserve.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (_sampledAt is not { } at || now - at >= SampleEvery.TotalMilliseconds)
            {
                Interlocked.Exchange(ref _limit, ReadLimit());
                _sampled = _limit == long.MaxValue ? 0 : CountOpen();
                _sampledAt = now;
                _admittedSince = 0;
            }

            if (_limit - (_sampled + _admittedSince) <= reserve)
            {
                return false;
            }

            _admittedSince++;
            return true;
        }
    }

    private static long CountOpen()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static long ReadLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : long.MaxValue;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: no budget to keep.
        }

        return long.MaxValue;
    }
}
