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

    private readonly Dictionary<string, bool> _leading = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Every piece of work this process runs or stands by for, and whether it leads it now.</summary>
    public IReadOnlyDictionary<string, bool> Snapshot()
    {
        lock (_gate)
        {
            return new SortedDictionary<string, bool>(_leading, StringComparer.Ordinal);
        }
    }

    /// <summary>Whether this process runs <paramref name="work"/> now (always on SQLite).</summary>
    public bool IsLeading(string work)
    {
        if (database.Provider == StorageProvider.Sqlite)
        {
            return true;
        }

        lock (_gate)
        {
            return _leading.GetValueOrDefault(work);
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
            SetLeading(work, true);
            await body(stoppingToken).ConfigureAwait(false);
            return;
        }

        SetLeading(work, false);
        var key = Key(work);
        while (!stoppingToken.IsCancellationRequested)
        {
            DbConnection? session;
            try
            {
                session = await TryTakeAsync(key, stoppingToken).ConfigureAwait(false);
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
                SetLeading(work, true);
                var watch = WatchAsync(session, lost);
                try
                {
                    await body(lost.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // The session is gone: another process may lead now. Back to standby.
                }
                finally
                {
                    SetLeading(work, false);
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

    private async Task<DbConnection?> TryTakeAsync(long key, CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            connection = database.Connect();
            await using var take = connection.CreateCommand();
            take.CommandText = $"SELECT pg_try_advisory_lock({key})";
            if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return connection;
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // The database is unreachable: stay in standby and ask again.
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        return null;
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

    private void SetLeading(string work, bool leading)
    {
        lock (_gate)
        {
            _leading[work] = leading;
        }
    }
}
