namespace Provenance.Api.Rewards;

/// <summary>
/// This instance's recent redemption attempts by key (a device, a network, a user agent) within a sliding window, for
/// velocity and regularity, and the distinct user ids seen behind each key. In memory on purpose: these are windows
/// of an hour, and a restart forgets at most one window. Bounded: keys idle past the window are dropped when the
/// table grows. Thread-safe.
/// </summary>
public sealed class RiskWindows(TimeSpan window, int maxKeys = 200_000)
{
    private const int MaxTimesPerKey = 64;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Records an attempt under <paramref name="key"/> by <paramref name="userId"/> and returns what was there before it (times oldest first, distinct users).</summary>
    public (IReadOnlyList<DateTimeOffset> Times, int Users) Observe(string key, string userId, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                if (_entries.Count >= maxKeys)
                {
                    Prune(now);
                }

                _entries[key] = entry = new Entry();
            }

            while (entry.Times.Count > 0 && now - entry.Times.Peek() > window)
            {
                entry.Times.Dequeue();
            }

            foreach (var stale in entry.Users.Where(u => now - u.Value > window).Select(u => u.Key).ToList())
            {
                entry.Users.Remove(stale);
            }

            var before = (entry.Times.ToArray(), entry.Users.Count + (entry.Users.ContainsKey(userId) ? 0 : 1));
            entry.Times.Enqueue(now);
            if (entry.Times.Count > MaxTimesPerKey)
            {
                entry.Times.Dequeue();
            }

            if (entry.Users.Count < 10_000 || entry.Users.ContainsKey(userId))
            {
                entry.Users[userId] = now;
            }

            return before;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var idle in _entries.Where(e => e.Value.Times.Count == 0 || now - e.Value.Times.Last() > window).Select(e => e.Key).ToList())
        {
            _entries.Remove(idle);
        }

        if (_entries.Count >= maxKeys)
        {
            _entries.Clear(); // a flood of fresh keys: forget rather than grow without bound
        }
    }

    private sealed class Entry
    {
        public Queue<DateTimeOffset> Times { get; } = new();

        public Dictionary<string, DateTimeOffset> Users { get; } = new(StringComparer.Ordinal);
    }
}
