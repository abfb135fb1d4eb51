using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;

namespace Provenance.Storage;

/// <summary>
/// Decides, per scan, whether a bottle's facts may be read from the hot standby (<see cref="ProvenanceDatabase.ConnectReplica"/>)
/// instead of the primary. Every second <see cref="ProbeAsync"/> reads the primary's WAL position, then asks the standby
/// whether it has replayed up to it: if so, everything committed before the probe began is on the standby
/// (<c>caught up to</c> that moment). The standby is used only while it is caught up to within <see cref="MaxLag"/> of now,
/// and never for a bottle this process changed after the moment it is caught up to, so a scan here never sees facts older
/// than a write that has returned here. What a scan on the standby may see late is a change committed by another process
/// (a recall, void, opening, shipment or receipt; other instances' scans): by the replay lag, at most <see cref="MaxLag"/>.
/// Callers fall back to the primary for anything not yet settled (unknown, unsealed, proof pending), so an acknowledged
/// seal is never reported missing because of the standby. Thread-safe.
/// </summary>
public sealed class ReadReplica : IDisposable
{
    private const int PruneAbove = 10_000;

    private readonly ProvenanceDatabase _database;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<TagKey, long> _changed = new();
    private readonly long _maxLagTicks;
    private long _allChangedAt = long.MinValue;
    private long _caughtUpTo = long.MinValue;
    private long _reads;
    private long _fallbacks;
    private volatile ReplicaState _state;

    public ReadReplica(ProvenanceDatabase database, TimeProvider time, TimeSpan maxLag)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time;
        MaxLag = maxLag;
        _maxLagTicks = (long)(maxLag.TotalSeconds * time.TimestampFrequency);
        _state = new ReplicaState(database.HasReplica ? "starting" : "none", null, null);
        database.TagChanges.Changed += OnChanged;
    }

    /// <summary>How far behind the primary the standby may be and still serve scans.</summary>
    public TimeSpan MaxLag { get; }

    /// <summary>Whether a replica is configured at all.</summary>
    public bool Configured => _database.HasReplica;

    /// <summary>
    /// Whether <paramref name="key"/>'s facts may be read from the standby now: its last probe found it answering and
    /// caught up to a moment within <see cref="MaxLag"/> of now, after this process's last change to the bottle (or to
    /// every bottle).
    /// </summary>
    public bool MayRead(TagKey key)
    {
        if (_state.Status != "in use")
        {
            return false;
        }

        var caughtUpTo = Interlocked.Read(ref _caughtUpTo);
        if (_time.GetTimestamp() - caughtUpTo > _maxLagTicks || Interlocked.Read(ref _allChangedAt) >= caughtUpTo)
        {
            return false;
        }

        return !_changed.TryGetValue(key, out var at) || at < caughtUpTo;
    }

    /// <summary>A scan was answered from the standby.</summary>
    public void Served() => Interlocked.Increment(ref _reads);

    /// <summary>A standby read failed or was not settled enough to use: the primary answered instead.</summary>
    public void FellBack() => Interlocked.Increment(ref _fallbacks);

    /// <summary>A standby read failed: stop using it until the next probe finds it answering.</summary>
    public void Failed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _state = new ReplicaState("unavailable", null, $"the standby failed a read ({error.Message}): scans read the primary");
    }

    /// <summary>For <c>/health</c>: state, measured lag and how many scans each side answered.</summary>
    public ReplicaStatus Status()
    {
        var state = _state;
        return new ReplicaStatus(state.Status, _database.ReplicaPath, state.LagSeconds, MaxLag.TotalSeconds, Interlocked.Read(ref _reads), Interlocked.Read(ref _fallbacks), state.Reason);
    }

    /// <summary>Finds how far the standby has replayed: the primary's WAL position now, then whether the standby is past it.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (!_database.HasReplica)
        {
            return;
        }

        var started = _time.GetTimestamp();
        string primaryPosition;
        try
        {
            await using var primary = _database.Connect();
            await using var position = primary.CreateCommand();
            position.CommandText = "SELECT CAST(pg_current_wal_lsn() AS TEXT)";
            primaryPosition = (string)(await position.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return; // the primary is down: readiness says so; the standby's state stays as last measured
        }

        try
        {
            await using var standby = _database.ConnectReplica();
            await using var replayed = standby.CreateCommand();
            // A standby promoted by a failover is a primary: it holds everything.
            replayed.CommandText = "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= CAST(@position AS pg_lsn)";
            var parameter = replayed.CreateParameter();
            parameter.ParameterName = "@position";
            parameter.Value = primaryPosition;
            replayed.Parameters.Add(parameter);
            if (await replayed.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                Interlocked.Exchange(ref _caughtUpTo, started);
            }

            var caughtUpTo = Interlocked.Read(ref _caughtUpTo);
            var lag = caughtUpTo == long.MinValue ? (double?)null : Math.Round((_time.GetTimestamp() - caughtUpTo) / (double)_time.TimestampFrequency, 3);
            _state = lag is { } behind && behind <= MaxLag.TotalSeconds
                ? new ReplicaState("in use", lag, null)
                : new ReplicaState("lagging", lag, $"not caught up with the primary within Storage:ReplicaMaxLag ({MaxLag.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s): scans read the primary");
        }
        catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or TimeoutException)
        {
            _state = new ReplicaState("unavailable", null, $"{e.Message}: scans read the primary");
        }
    }

    public void Dispose() => _database.TagChanges.Changed -= OnChanged;

    private void OnChanged(object? sender, TagsChangedEventArgs change)
    {
        var now = _time.GetTimestamp();
        if (change.All)
        {
            Interlocked.Exchange(ref _allChangedAt, now);
            return;
        }

        foreach (var key in change.Tags)
        {
            _changed[key] = now;
        }

        if (_changed.Count > PruneAbove)
        {
            var caughtUpTo = Interlocked.Read(ref _caughtUpTo);
            foreach (var (key, at) in _changed)
            {
                if (at < caughtUpTo)
                {
                    _changed.TryRemove(KeyValuePair.Create(key, at));
                }
            }
        }
    }

    private sealed record ReplicaState(string Status, double? LagSeconds, string? Reason);
}

/// <summary>The read replica as <c>/health</c> shows it.</summary>
public sealed record ReplicaStatus(string State, string? Server, double? LagSeconds, double MaxLagSeconds, long ScansServed, long FellBackToPrimary, string? Reason);
