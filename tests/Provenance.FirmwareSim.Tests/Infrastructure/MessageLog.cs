namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>Messages in arrival order, with event-driven waits (no polling, no sleeps).</summary>
public sealed class MessageLog
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedMessage> _messages = [];
    private readonly List<(Func<IReadOnlyList<ReceivedMessage>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<ReceivedMessage> Snapshot()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    public void Add(ReceivedMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_messages))
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds for the messages so far; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_messages))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {timeout} waiting for {what}; {Snapshot().Count} messages received");
        }
    }
}
