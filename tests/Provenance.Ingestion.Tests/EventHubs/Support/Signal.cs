namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>Wakes waiters when something changed, so that tests and the server wait on events instead of polling.</summary>
public sealed class Signal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next
    {
        get
        {
            lock (this)
            {
                return _next.Task;
            }
        }
    }

    public void Pulse()
    {
        TaskCompletionSource done;
        lock (this)
        {
            done = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking it each time <paramref name="signal"/> pulses.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Signal signal)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = signal.Next;
            if (condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"condition not met within {timeout}");
            }
        }
    }
}
