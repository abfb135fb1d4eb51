using System.Globalization;
using Provenance.Engines.Tests.Support;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>Issue item 7: <c>GET /metrics</c> in Prometheus text format 0.0.4, from the host's own meters (through OpenTelemetry's exporter, issue 17).</summary>
public sealed class MetricsEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_scrape_after_a_stream_reports_the_stored_seals_the_rejects_by_reason_the_sink_lag_and_the_commit_histogram()
    {
        const int Seals = 300;
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, codes) = await node.IssueAsync(Seals + 20);
        await node.StartAsync();
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunAsync(Simulation.Options(node, gateway, codes, key) with { Count = Seals }, TimeSpan.FromMinutes(2));
        await Simulation.RunAsync(Simulation.Options(node, gateway, codes.Skip(Seals).ToList(), key) with { Forge = true, GnssInterval = TimeSpan.Zero }, TimeSpan.FromMinutes(1));
        var forged = await WaitForLedgerAsync(node, Seals);

        using var response = await node.Management.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var samples = Parse(text);
        output.WriteLine(string.Join('\n', text.Split('\n').Where(l => l.StartsWith("provenance_", StringComparison.Ordinal) && !l.Contains("_bucket", StringComparison.Ordinal))));

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("# TYPE provenance_ingestion_seals_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal(Seals, samples["provenance_ingestion_seals_total"]);
        Assert.True(forged > 0, "the forged messages left no bad_signature dead letters");
        Assert.Equal(forged, samples["provenance_ingestion_rejects_total{reason=\"bad_signature\"}"]);
        Assert.Equal(forged, samples["provenance_deadletters{reason=\"bad_signature\"}"]);
        Assert.Equal(0, samples["provenance_sink_lag{sink=\"ledger\"}"]);
        Assert.Equal(0, samples["provenance_journal_depth"]);
        Assert.True(samples["provenance_journal_head"] >= Seals);
        Assert.Contains("# TYPE provenance_ingestion_commit_duration_seconds histogram\n", text, StringComparison.Ordinal);
        var commits = samples["provenance_ingestion_commit_duration_seconds_count"];
        Assert.True(commits > 0);
        Assert.Equal(commits, samples["provenance_ingestion_commit_duration_seconds_bucket{le=\"+Inf\"}"]);
    }

    private static async Task<long> WaitForLedgerAsync(ProvenanceNode node, int seals)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var health = await node.HealthAsync();
            var lag = health.GetProperty("journal").GetProperty("lag").GetProperty("ledger").GetInt64();
            if (lag == 0 && health.GetProperty("ingestion").GetProperty("seals").GetInt64() >= seals)
            {
                return HostDatabase.DeadLetters(node.DataDirectory, "bad_signature");
            }

            await Task.Delay(100, cts.Token);
        }
    }

    private static Dictionary<string, double> Parse(string text) =>
        text.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            // A series without labels may come as name{} (OpenTelemetry's exporter writes it so): the same series.
            .Select(l => (Key: l[..l.LastIndexOf(' ')].Replace("{}", string.Empty, StringComparison.Ordinal), Value: l[(l.LastIndexOf(' ') + 1)..]))
            .ToDictionary(p => p.Key, p => p.Value == "+Inf" ? double.PositiveInfinity : double.Parse(p.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
