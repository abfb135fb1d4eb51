using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using WireErrorDetail = Provenance.Fabric.Protos.Gateway.ErrorDetail;
using WireStatus = Provenance.Fabric.Protos.Rpc.Status;

namespace Provenance.Fabric.Tests.Support;

/// <summary>
/// What the fake peer should do wrong next, per step: fail with a gRPC status and Fabric <c>ErrorDetail</c>s, or hang
/// until the client's deadline. Also counts calls per step. Thread-safe.
/// </summary>
internal sealed class FaultPlan
{
    private readonly ConcurrentDictionary<GatewayStep, ConcurrentQueue<Fault>> _faults = new();
    private readonly ConcurrentDictionary<GatewayStep, ConcurrentQueue<Fault>> _faultsAfter = new();
    private readonly ConcurrentDictionary<GatewayStep, int> _calls = new();
    private readonly ConcurrentDictionary<GatewayStep, TaskCompletionSource> _hanging = new();
    private readonly ConcurrentQueue<TimeSpan> _delays = new();
    private readonly ConcurrentDictionary<string, bool> _ordering = new();
    private int _toLose;
    private int _lost;

    /// <summary>The next <paramref name="times"/> calls of <paramref name="step"/> fail with this status and details.</summary>
    public void Fail(GatewayStep step, StatusCode code, string message, IReadOnlyList<ErrorDetail>? details = null, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Queue(step).Enqueue(new Fault(code, message, details ?? [], Hang: false));
        }
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="step"/> never answer (until the call is cancelled).</summary>
    public void Hang(GatewayStep step, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Queue(step).Enqueue(new Fault(StatusCode.OK, string.Empty, [], Hang: true));
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="step"/> do their work (e.g. the orderer accepts and
    /// commits the transaction) and then fail with this status: the ambiguous failures a client must resolve.
    /// </summary>
    public void FailAfter(GatewayStep step, StatusCode code, string message, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _faultsAfter.GetOrAdd(step, _ => new ConcurrentQueue<Fault>()).Enqueue(new Fault(code, message, [], Hang: false));
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> Submit calls of a new transaction answer success but never order it: an
    /// orderer that crashed after accepting the transaction and before cutting its block.
    /// </summary>
    public void LoseSubmitted(int times = 1) => Interlocked.Add(ref _toLose, times);

    /// <summary>Whether this Submit call is one to lose (see <see cref="LoseSubmitted"/>); counts it down.</summary>
    public bool TakeLoss()
    {
        while (true)
        {
            var left = Volatile.Read(ref _toLose);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _toLose, left - 1, left) == left)
            {
                Interlocked.Increment(ref _lost);
                return true;
            }
        }
    }

    /// <summary>
    /// The next Submit call of a new transaction answers success and the transaction commits only after
    /// <paramref name="delay"/>: a slow orderer, or a peer catching up after a restart. Copies of it sent in the
    /// meantime are ordered behind it and change nothing (as Fabric marks them DUPLICATE_TXID).
    /// </summary>
    public void DelaySubmitted(TimeSpan delay) => _delays.Enqueue(delay);

    /// <summary>The delay of this Submit call's commit (see <see cref="DelaySubmitted"/>), if it is one to delay; marks it ordering.</summary>
    public TimeSpan? TakeDelay(string transactionId)
    {
        if (!_delays.TryDequeue(out var delay))
        {
            return null;
        }

        _ordering[transactionId] = true;
        return delay;
    }

    /// <summary>Whether the transaction was accepted and is waiting for its delayed commit.</summary>
    public bool IsOrdering(string transactionId) => _ordering.ContainsKey(transactionId);

    /// <summary>The delayed transaction has committed.</summary>
    public void Ordered(string transactionId) => _ordering.TryRemove(transactionId, out _);

    /// <summary>Transactions accepted and lost so far.</summary>
    public int Lost => Volatile.Read(ref _lost);

    public int Calls(GatewayStep step) => _calls.GetValueOrDefault(step);

    /// <summary>Completes when a call of <paramref name="step"/> has started hanging (reached the peer and waits).</summary>
    public Task Hanging(GatewayStep step) => HangSignal(step).Task;

    /// <summary>Counts the call and applies the next planned fault for the step, if any.</summary>
    public async Task ApplyAsync(GatewayStep step, ServerCallContext context)
    {
        _calls.AddOrUpdate(step, 1, (_, n) => n + 1);
        if (!Queue(step).TryDequeue(out var fault))
        {
            return;
        }

        if (fault.Hang)
        {
            HangSignal(step).TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        throw Error(fault.Code, fault.Message, fault.Details);
    }

    /// <summary>Applies the next planned after-the-work fault for the step, if any.</summary>
    public Task ApplyAfterAsync(GatewayStep step, ServerCallContext context)
    {
        _ = context;
        return _faultsAfter.TryGetValue(step, out var queue) && queue.TryDequeue(out var fault)
            ? Task.FromException(Error(fault.Code, fault.Message, fault.Details))
            : Task.CompletedTask;
    }

    /// <summary>An RpcException as Fabric's gateway sends it: google.rpc.Status with ErrorDetails in the trailer.</summary>
    public static RpcException Error(StatusCode code, string message, IReadOnlyList<ErrorDetail> details)
    {
        var status = new WireStatus { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(new WireErrorDetail
            {
                Address = detail.Address,
                MspId = detail.MspId,
                Message = detail.Message,
            }));
        }

        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Status(code, message), trailers);
    }

    private TaskCompletionSource HangSignal(GatewayStep step) =>
        _hanging.GetOrAdd(step, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private ConcurrentQueue<Fault> Queue(GatewayStep step) => _faults.GetOrAdd(step, _ => new ConcurrentQueue<Fault>());

    private sealed record Fault(StatusCode Code, string Message, IReadOnlyList<ErrorDetail> Details, bool Hang);
}
