using System.Text.Json;
using Provenance.Storage;

namespace Provenance.Api.Alerts;

/// <summary>
/// Raises alerts for the producer: stores them in the feed (<c>GET /api/alerts</c>) and wakes the webhook dispatcher,
/// which delivers them off the request path. Thread-safe.
/// </summary>
public sealed class AlertService(AlertStore store, TimeProvider time)
{
    public const string Diverted = "diverted";
    public const string SuspectClone = "suspect_clone";
    public const string Unknown = "unknown";
    public const string ReceiptMismatch = "receipt_mismatch";

    /// <summary>A bottle already opened (inner code scanned, or opening reported) was received in trade afterwards.</summary>
    public const string SuspectRefill = "suspect_refill";

    /// <summary>A gateway sealed a bottle whose origin could not be attested (outside its geofence, no usable fix, …).</summary>
    public const string OriginNotAttested = "origin_not_attested";

    private readonly SemaphoreSlim _raised = new(0, int.MaxValue);

    /// <summary>Stores an alert and returns its id.</summary>
    public long Raise(string kind, string? gtin, string? serial, string? distributorId, object detail)
    {
        var id = store.Add(kind, gtin, serial, distributorId, JsonSerializer.Serialize(detail), time.GetUtcNow());
        _raised.Release();
        return id;
    }

    /// <summary>
    /// Stores an alert unless one that <paramref name="existing"/> lists satisfies <paramref name="matches"/>, deciding in
    /// the insert's own write transaction (once across processes); returns its id, or null when one was there.
    /// </summary>
    public long? RaiseUnless(AlertQuery existing, Func<StoredAlert, bool> matches, string kind, string? gtin, string? serial, string? distributorId, object detail)
    {
        var id = store.AddUnless(existing, matches, kind, gtin, serial, distributorId, JsonSerializer.Serialize(detail), time.GetUtcNow());
        if (id is not null)
        {
            _raised.Release();
        }

        return id;
    }

    /// <summary>Wakes the dispatcher for a feed entry stored by another store's transaction (a case-opening rebate).</summary>
    public void Notify() => _raised.Release();

    /// <summary>Completes when an alert is raised (or at once if one was raised since the last wait).</summary>
    public Task WaitForAlertAsync(TimeSpan timeout, CancellationToken cancellationToken) => _raised.WaitAsync(timeout, cancellationToken);
}
