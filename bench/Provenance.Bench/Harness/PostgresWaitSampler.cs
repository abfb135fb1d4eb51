using System.Globalization;
using Npgsql;

namespace Provenance.Bench.Harness;

/// <summary>
/// Samples what the cluster's client backends are doing (<c>pg_stat_activity</c>: running, waiting on a lock, on the
/// WAL flush, or idle waiting for the client's next statement) every few milliseconds while a measured window runs,
/// and summarises the shares: the profile that says whether PostgreSQL ingestion is bound by the server, the disk, the
/// write lock or round trips.
/// </summary>
public sealed class PostgresWaitSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private int _samples;
    private string _connectionString = string.Empty;

    private PostgresWaitSampler(string connectionString) => _loop = Task.Run(() => LoopAsync(connectionString));

    public static PostgresWaitSampler Start(string connectionString) => new(connectionString);

    private async Task LoopAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(_stop.Token);
        await using (var reset = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()", connection))
        {
            await reset.ExecuteNonQueryAsync(_stop.Token);
        }

        _connectionString = connectionString;
        await using var command = new NpgsqlCommand(
            "SELECT state, coalesce(wait_event_type, 'CPU'), coalesce(wait_event, ''), left(regexp_replace(query, '\\s+', ' ', 'g'), 70) " +
            "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()", connection);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
                {
                    while (await reader.ReadAsync(_stop.Token))
                    {
                        var state = reader.IsDBNull(0) ? "?" : reader.GetString(0);
                        var key = state == "active"
                            ? $"active {reader.GetString(1)}:{reader.GetString(2)} | {reader.GetString(3)}"
                            : $"{state} {reader.GetString(1)}:{reader.GetString(2)}";
                        _counts[key] = _counts.GetValueOrDefault(key) + 1;
                    }
                }

                _samples++;
                await Task.Delay(5, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops sampling and returns the lines: each state's average number of backends in it.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        var statements = new List<string>();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements " +
                "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 25", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                statements.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0),8} calls {reader.GetDouble(1),9:0.0} ms  {reader.GetString(2)}"));
            }
        }

        return statements.Concat(_counts.OrderByDescending(p => p.Value).Take(20)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{(double)p.Value / Math.Max(1, _samples),6:0.00} backends  {p.Key}")))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
