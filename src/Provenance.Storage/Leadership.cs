using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Provenance.Storage;

/// <summary>
/// Runs a piece of work (a journal sink, a dispatcher) in exactly one process at a time. On SQLite the one process that
/// owns the file is always the runner. On PostgreSQL the runner holds a session advisory lock named after the work on a
/// connection of its own: when that process dies or loses the database, PostgreSQL ends the session and frees the lock,
/// and a standby that polls every <see cref="TakeoverInterval"/> takes over. A runner checks its session on the same
/// interval and stops its work when the session is gone, so two runners overlap by at most that interval (the sinks are
/// idempotent, so such an overlap repeats a write, never loses or reorders one).
/// </summary>
public sealed class Leadership(ProvenanceDatabase database, TimeProvider time)
{
    /// <summary>How often a standby asks for the lock, and a runner checks it still holds it.</summary>
    public static readonly TimeSpan TakeoverInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, LeaderState> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Every piece of work this process runs, stands by for or asks for, and where it stands on each now.</summary>
    public IReadOnlyDictionary<string, LeaderState> Snapshot()
    {
        lock (_gate)
        {
            return new SortedDictionary<string, LeaderState>(_states, StringComparer.Ordinal);
        }
    }

    /// <summary>Whether this process runs <paramref name="work"/> now (always on SQLite).</summary>
    public bool IsLeading(string work) => State(work) == LeaderState.Leading;

    /// <summary>
    /// Where this process stands on <paramref name="work"/> now: always leading on SQLite; on PostgreSQL electing until
    /// an attempt to take its lock has been answered (so also for work whose <see cref="RunAsync"/> has not started).
    /// </summary>
    public LeaderState State(string work)
    {
        if (database.Provider == StorageProvider.Sqlite)
        {
            return LeaderState.Leading;
        }

        lock (_gate)
        {
            return _states.GetValueOrDefault(work, LeaderState.Electing);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> while this process holds <paramref name="work"/>'s lock, waiting in standby while
    /// another holds it, until <paramref name="stoppingToken"/> fires. The body's token fires when the lock is lost;
    /// the body then ends, and this waits to take the lock again.
    /// </summary>
    public async Task RunAsync(string work, Func<CancellationToken, Task> body, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (database.Provider == StorageProvider.Sqlite)
        {
            SetState(work, LeaderState.Leading);
            await body(stoppingToken).ConfigureAwait(false);
            return;
        }

        SetState(work, LeaderState.Electing);
        var key = Key(work);
        while (!stoppingToken.IsCancellationRequested)
        {
            DbConnection? session;
            try
            {
                (session, var answer) = await TryTakeAsync(key, stoppingToken).ConfigureAwait(false);
                if (session is null)
                {
                    SetState(work, answer);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (session is null)
            {
                try
                {
                    await Task.Delay(TakeoverInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            await using (session.ConfigureAwait(false))
            {
                using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                SetState(work, LeaderState.Leading);
                var watch = WatchAsync(session, lost);
                try
                {
                    await body(lost.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // The session is gone: another process may lead now. Ask again.
                }
                finally
                {
                    SetState(work, LeaderState.Electing);
                    await lost.CancelAsync().ConfigureAwait(false);
                    await watch.ConfigureAwait(false);
                    await ReleaseAsync(session, key).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The lock key of a piece of work: the first 8 bytes of SHA-256 of its name, so names need no registry.</summary>
    internal static long Key(string work) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("provenance/leader/" + work)).AsSpan(0, 8));

    /// <summary>The session that holds the lock now, or null and why not: another holds it (standby), or no answer (electing).</summary>
    private async Task<(DbConnection? Session, LeaderState Answer)> TryTakeAsync(long key, CancellationToken cancellationToken)
    {
        var answer = LeaderState.Electing;
        DbConnection? connection = null;
        try
        {
            connection = database.Connect();
            await using var take = connection.CreateCommand();
            take.CommandText = $"SELECT pg_try_advisory_lock({key})";
            if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return (connection, LeaderState.Leading);
            }

            answer = LeaderState.Standby;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // The database is unreachable: whoever runs the work is unknown; ask again.
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        return (null, answer);
    }

    /// <summary>
    /// Gives the lock back before the connection returns to the pool: the pool resets a session only when it hands the
    /// connection out again, so a lock left on it would stay held by an idle connection.
    /// </summary>
    private static async Task ReleaseAsync(DbConnection session, long key)
    {
        try
        {
            await using var release = session.CreateCommand();
            release.CommandText = $"SELECT pg_advisory_unlock({key})";
            await release.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
        {
            // The session is gone, and the lock with it.
        }
    }

    private async Task WatchAsync(DbConnection session, CancellationTokenSource lost)
    {
        try
        {
            while (!lost.IsCancellationRequested)
            {
                await Task.Delay(TakeoverInterval, time, lost.Token).ConfigureAwait(false);
                await using var ping = session.CreateCommand();
                ping.CommandText = "SELECT 1";
                await ping.ExecuteScalarAsync(lost.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException or NpgsqlException)
        {
            // The session ended, so its lock did too.
        }

        await lost.CancelAsync().ConfigureAwait(false);
    }

    private void SetState(string work, LeaderState state)
    {
        lock (_gate)
        {
            _states[work] = state;
        }
    }
}
