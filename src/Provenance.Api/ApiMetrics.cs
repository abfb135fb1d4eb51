using System.Diagnostics.Metrics;

namespace Provenance.Api;

/// <summary>
/// The API's meter (<c>Provenance.Api</c>): connections refused by the gate, requests refused by rate
/// limits, scans answered from the cached verdict, the scan read model's hits, scans dropped unrecorded, and the scan-history quota. Thread-safe.
/// </summary>
public sealed class ApiMetrics : IDisposable
{
    public const string MeterName = "Provenance.Api";

    private readonly Counter<long> _connectionsRefused;
    private readonly Counter<long> _requestsLimited;
    private readonly Counter<long> _cachedScans;
    private readonly Counter<long> _scansPruned;
    private readonly Counter<long> _scansDropped;
    private readonly Counter<long> _readModel;

    public ApiMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _connectionsRefused = Meter.CreateCounter<long>("provenance.http.connections.refused", "{connection}", "Connections closed at once by a connection limit, by limit");
        _requestsLimited = Meter.CreateCounter<long>("provenance.http.requests.limited", "{request}", "Requests answered 429 by a rate limit, by limit");
        _cachedScans = Meter.CreateCounter<long>("provenance.scans.cached", "{scan}", "Scans answered from the code's cached verdict (the code's budget was spent), not recorded");
        _scansPruned = Meter.CreateCounter<long>("provenance.scans.pruned", "{scan}", "Oldest scans removed from the history to keep it within its quota");
        _scansDropped = Meter.CreateCounter<long>("provenance.scans.dropped", "{scan}", "Scans answered but not recorded because the recording queue was full (the database far behind)");
        _readModel = Meter.CreateCounter<long>("provenance.scans.read_model", "{scan}", "Scans whose bottle facts came from memory (result=hit) or the database (result=miss)");
    }

    public Meter Meter { get; }

    public void ConnectionRefused(string limit) => _connectionsRefused.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void RequestLimited(string limit) => _requestsLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void CachedScan() => _cachedScans.Add(1);

    public void ScansPruned(long count) => _scansPruned.Add(count);

    public void ScanDropped() => _scansDropped.Add(1);

    public void ReadModel(bool hit) => _readModel.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void Dispose() => Meter.Dispose();
}
