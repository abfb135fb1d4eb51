namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>Event-driven waits on a running simulator's counters.</summary>
public static class SimulatorWaits
{
    /// <summary>Completes when <paramref name="condition"/> holds after some simulator event; fails after <paramref name="timeout"/>.</summary>
    public static async Task WhenAsync(this GatewaySimulator simulator, Func<SimulatorCounters, bool> condition, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition(simulator.Counters))
            {
                done.TrySetResult();
            }
        }

        void OnMessage(object? sender, SimulatorMessageEventArgs e) => Check();
        void OnConnection(object? sender, ConnectionChangedEventArgs e) => Check();
        simulator.MessageQueued += OnMessage;
        simulator.MessageAcknowledged += OnMessage;
        simulator.ConnectionChanged += OnConnection;
        try
        {
            Check();
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {timeout} waiting for {what}");
        }
        finally
        {
            simulator.MessageQueued -= OnMessage;
            simulator.MessageAcknowledged -= OnMessage;
            simulator.ConnectionChanged -= OnConnection;
        }
    }
}
