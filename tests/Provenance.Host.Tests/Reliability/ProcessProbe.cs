using System.Globalization;

namespace Provenance.Host.Tests.Reliability;

/// <summary>Samples a process's resident memory and open file handles from <c>/proc</c> until stopped; keeps the peaks.</summary>
internal sealed class ProcessProbe(int pid)
{
    public long PeakRssBytes { get; private set; }

    public long StartRssBytes { get; private set; }

    public int PeakOpenFiles { get; private set; }

    public long RssBytes()
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    public int OpenFiles() => Directory.GetFiles($"/proc/{pid}/fd").Length;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        StartRssBytes = RssBytes();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                PeakRssBytes = Math.Max(PeakRssBytes, RssBytes());
                PeakOpenFiles = Math.Max(PeakOpenFiles, OpenFiles());
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
