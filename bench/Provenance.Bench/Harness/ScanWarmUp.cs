using System.Globalization;

namespace Provenance.Bench.Harness;

/// <summary>
/// Runs a freshly started <c>serve</c> through the paths a scan bench measures before it measures them: the scan path
/// (a bottle looked up, judged, answered, recorded) and <c>/health/live</c>. Without it the first repeat measures the
/// runtime compiling: a profile of a cold <c>serve</c> under the scan walk put about a quarter of its CPU in the
/// background tier-1 compiler. The warm-up scans bottles outside the measured walk where the suite has them, so the
/// read model does not start out holding walked bottles.
/// </summary>
public static class ScanWarmUp
{
    public static async Task RunAsync(ServeProcess serve, string script, BenchSettings settings, string label, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromSeconds(settings.Quick ? 2 : 5);
        var live = await Wrk.RunAsync(serve.BaseUrl + "/health/live", TimeSpan.FromSeconds(2), 64, cancellationToken: cancellationToken);
        var scans = await Wrk.RunAsync(serve.BaseUrl, duration, 64, script, cancellationToken);
        Log.Info(string.Create(CultureInfo.InvariantCulture, $"{label}: warm-up (not measured): /health/live {live.RequestsPerSecond:N0} req/s, scans {scans.RequestsPerSecond:N0} req/s for {duration.TotalSeconds:N0} s"));
    }
}
