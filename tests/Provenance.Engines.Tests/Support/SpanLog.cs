using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// The collection OpenTelemetry's in-memory exporter fills (one span as each ends), safe to read while spans arrive
/// from other threads, with a wait for a condition on what has arrived (woken by each new span, never a fixed sleep).
/// </summary>
internal sealed class SpanLog : Collection<Activity>
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_gate)
        {
            return [.. Items];
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the spans so far; returns them.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<IReadOnlyList<Activity>, bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                arrived = _arrived.Task;
            }

            var spans = Snapshot();
            if (condition(spans))
            {
                return spans;
            }

            try
            {
                await arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}; spans seen: {string.Join(", ", spans.Select(s => s.DisplayName).Distinct())}");
            }
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            base.InsertItem(index, item);
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.SetResult();
    }
}
