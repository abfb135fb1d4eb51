namespace Provenance.Storage;

/// <summary>Where this process stands on a piece of work that runs in one process at a time (<see cref="Leadership"/>).</summary>
public enum LeaderState
{
    /// <summary>
    /// Asking for the work's lock without an answer yet: at start-up before the first attempt completes, right after
    /// the lock was lost, and while the database cannot be reached (which process runs the work is then unknown).
    /// </summary>
    Electing,

    /// <summary>Another process holds the work's lock and runs it; this one asks again every <see cref="Leadership.TakeoverInterval"/>.</summary>
    Standby,

    /// <summary>This process holds the work's lock and runs it (always so on SQLite).</summary>
    Leading,
}
