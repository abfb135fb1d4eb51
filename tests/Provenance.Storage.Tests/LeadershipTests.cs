using Npgsql;

namespace Provenance.Storage.Tests;

/// <summary>
/// Where a process stands on single-runner work (<see cref="Leadership"/>): electing until its lock is answered,
/// standby while another process holds it, leading while it does. Two processes are two databases opened on one
/// PostgreSQL database (two pools, so two sessions); on SQLite the one process always leads.
/// </summary>
public sealed class LeadershipTests
{
    private const string Work = "sink:test";

    [Fact]
    public async Task Work_is_electing_until_its_lock_is_answered_standby_while_another_process_leads_it_and_leading_once_that_one_stops()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("leadership");
        var first = new Leadership(ProvenanceDatabase.OpenPostgres(database), TimeProvider.System);
        var second = new Leadership(ProvenanceDatabase.OpenPostgres(database, migrate: false), TimeProvider.System);
        Assert.Equal(LeaderState.Electing, second.State(Work));
        Assert.False(second.IsLeading(Work));

        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRun = first.RunAsync(Work, lead => Hold(firstLeads, lead), stopFirst.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(LeaderState.Leading, first.State(Work));

        var secondRun = second.RunAsync(Work, lead => Hold(secondLeads, lead), stopSecond.Token);
        await WaitForAsync(second, LeaderState.Standby);
        Assert.False(secondLeads.Task.IsCompleted);
        Assert.Equal(LeaderState.Standby, second.Snapshot()[Work]);

        await stopFirst.CancelAsync();
        await firstRun.WaitAsync(TimeSpan.FromSeconds(30));
        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(LeaderState.Leading, second.State(Work));
        Assert.True(second.IsLeading(Work));

        await stopSecond.CancelAsync();
        await secondRun.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_standby_that_can_no_longer_reach_the_database_is_electing_not_standby()
    {
        var server = await PostgresServer.Shared;
        var database = await server.CreateDatabaseAsync("leadership");
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        var first = new Leadership(ProvenanceDatabase.OpenPostgres(database), TimeProvider.System);
        var secondDatabase = ProvenanceDatabase.OpenPostgres(database, migrate: false);
        var second = new Leadership(secondDatabase, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRun = first.RunAsync(Work, lead => Hold(firstLeads, lead), stop.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var secondRun = second.RunAsync(Work, _ => throw new InvalidOperationException("the standby must not lead"), stop.Token);
        await WaitForAsync(second, LeaderState.Standby);

        // The leader's session stays; new sessions are refused, and the standby's idle pooled ones are closed.
        await AllowConnectionsAsync(server, name, false);
        try
        {
            secondDatabase.ClosePooledConnections();
            await WaitForAsync(second, LeaderState.Electing);
            Assert.Equal(LeaderState.Leading, first.State(Work));
        }
        finally
        {
            await AllowConnectionsAsync(server, name, true);
        }

        await WaitForAsync(second, LeaderState.Standby);
        await stop.CancelAsync();
        await Task.WhenAll(firstRun, secondRun).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task On_sqlite_the_process_always_leads()
    {
        var directory = Directory.CreateTempSubdirectory("prov-leadership-").FullName;
        try
        {
            var leadership = new Leadership(ProvenanceDatabase.Open(directory), TimeProvider.System);
            Assert.Equal(LeaderState.Leading, leadership.State(Work));
            Assert.True(leadership.IsLeading(Work));
            var ran = false;
            await leadership.RunAsync(Work, _ => { ran = true; return Task.CompletedTask; }, CancellationToken.None);
            Assert.True(ran);
            Assert.Equal(LeaderState.Leading, Assert.Single(leadership.Snapshot()).Value);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Marks that the body runs, then holds the lead until it is stopped or lost.</summary>
    private static async Task Hold(TaskCompletionSource leads, CancellationToken lead)
    {
        leads.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, lead);
        }
        catch (OperationCanceledException) when (lead.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>Polls the state (it changes once a second at most: <see cref="Leadership.TakeoverInterval"/>).</summary>
    private static async Task WaitForAsync(Leadership leadership, LeaderState state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (leadership.State(Work) != state)
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{Work} did not become {state} within 30 s; it is {leadership.State(Work)}");
            }
        }
    }

    private static async Task AllowConnectionsAsync(PostgresServer server, string database, bool allow)
    {
        await using var admin = new NpgsqlConnection(server.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allow ? "true" : "false")}", admin);
        await alter.ExecuteNonQueryAsync();
    }
}
