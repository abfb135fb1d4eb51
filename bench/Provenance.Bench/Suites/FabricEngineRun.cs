using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Provenance.Bench.Harness;

namespace Provenance.Bench.Suites;

/// <summary>
/// <c>provenance serve</c> on the Fabric engine (shipped defaults: 500 records per transaction, 4 in flight, 300 ms
/// batch age) recording to the local network, fed by the gateway simulator over MQTT: committed records/s while it
/// works through a backlog, and seal-to-proof latency (journal entry → Fabric proof, from serve's own database) at a
/// paced rate.
/// </summary>
public sealed class FabricEngineRun(LocalFabric fabric, TempDirectory temp) : IAsyncDisposable
{
    private const string Cursor = "ledger-fabric";

    private readonly ProvenanceCli _cli = new(temp.Combine("data"));
    private readonly HttpClient _http = new();
    private ServeProcess? _serve;
    private GatewayCredentials? _gateway;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_cli.DataDirectory);
        await _cli.AddSiteAndProductAsync();
        _gateway = await _cli.AddGatewayAsync($"bench-eng-{Guid.NewGuid():N}"[..20]);
        var (certificate, key) = fabric.Identity("User1");
        var (adminCertificate, adminKey) = fabric.Identity("Admin");
        _serve = await ServeProcess.StartAsync(
            _cli.DataDirectory,
            "--Ledger:Engine=fabric", $"--Ledger:Fabric:Endpoint=127.0.0.1:{fabric.ProducerPeerPort}", $"--Ledger:Fabric:TlsCaPath={fabric.ProducerTlsCa}",
            "--Ledger:Fabric:MspId=ProducerMSP", $"--Ledger:Fabric:CertificatePath={certificate}", $"--Ledger:Fabric:PrivateKeyPath={key}",
            $"--Ledger:Fabric:AdminCertificatePath={adminCertificate}", $"--Ledger:Fabric:AdminPrivateKeyPath={adminKey}");
        // The journal's lag is in /health's details, which only the management listener answers.
        _http.BaseAddress = new Uri(_serve.ManagementUrl);
        await SealAsync(await _cli.IssueUrlsAsync(50), rate: 0, cancellationToken); // registers the gateway on the chain; not counted
    }

    /// <summary>Seals <paramref name="count"/> codes as fast as ingestion takes them; the engine's committed records/s over the backlog.</summary>
    public async Task<(double RecordsPerSecond, double RecordsPerTransaction)> BacklogAsync(int count, CancellationToken cancellationToken)
    {
        var from = DateTimeOffset.UtcNow;
        await SealAsync(await _cli.IssueUrlsAsync(count), rate: 0, cancellationToken);
        var proofs = Proofs(from);
        var commits = proofs.Select(p => p.CommittedAt).Order().ToList();
        if (commits.Count != count)
        {
            throw new InvalidOperationException($"{commits.Count} of {count} seals have a Fabric proof");
        }

        // From the first commit to the last: the first transaction's own latency is the latency figure's business.
        var first = commits.Count(c => c == commits[0]);
        return ((count - first) / (commits[^1] - commits[0]).TotalSeconds, count / (double)proofs.Select(p => p.TransactionId).Distinct().Count());
    }

    /// <summary>Seals <paramref name="count"/> codes at <paramref name="rate"/> seals/s; seal-to-proof p50 and p95 in ms.</summary>
    public async Task<(double P50, double P95)> LatencyAsync(int count, double rate, CancellationToken cancellationToken)
    {
        var from = DateTimeOffset.UtcNow;
        await SealAsync(await _cli.IssueUrlsAsync(count), rate, cancellationToken);
        var latencies = Proofs(from).Select(p => (p.CommittedAt - p.JournaledAt).TotalMilliseconds).ToList();
        if (latencies.Count != count)
        {
            throw new InvalidOperationException($"{latencies.Count} of {count} seals have a Fabric proof");
        }

        return (Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.95));
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _gateway?.Key.Dispose();
        _http.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private async Task SealAsync(IReadOnlyList<string> codes, double rate, CancellationToken cancellationToken)
    {
        await new SimulatorFleet("127.0.0.1", _serve!.MqttPort, [_gateway!], codes, batch: 50, rate).RunAsync(TimeSpan.FromMinutes(10), TimeSpan.Zero, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));
        while (await LagAsync(deadline.Token) > 0)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    private async Task<long> LagAsync(CancellationToken cancellationToken)
    {
        var health = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/health", UriKind.Relative), cancellationToken)).RootElement;
        return health.GetProperty("journal").GetProperty("lag").GetProperty(Cursor).GetInt64();
    }

    /// <summary>Fabric proofs of seals journaled since <paramref name="from"/>: when the seal was journaled, when its proof was recorded, in which transaction.</summary>
    private List<(DateTimeOffset JournaledAt, DateTimeOffset CommittedAt, string TransactionId)> Proofs(DateTimeOffset from)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_cli.DataDirectory, "provenance.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT j.created_at, p.committed_at, p.tx_id FROM journal j JOIN ledger_proofs p ON p.event_id = j.event_id " +
            "WHERE j.kind = 'seal' AND p.engine = 'fabric' AND j.created_at >= $from";
        command.Parameters.AddWithValue("$from", from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        using var reader = command.ExecuteReader();
        var list = new List<(DateTimeOffset, DateTimeOffset, string)>();
        while (reader.Read())
        {
            list.Add((Parse(reader.GetString(0)), Parse(reader.GetString(1)), reader.GetString(2)));
        }

        return list;
    }

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
