using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Api.Security;

namespace Provenance.Api.Http;

/// <summary>
/// Bounds open connections: in total per listener kind (public, management) and per client address on the public
/// listeners (IPv6: per /64; known proxies are exempt). A connection over a limit is closed in the accept loop before a
/// byte of it is read (<see cref="GatedConnectionListenerFactory"/>); the open ones keep being served. The public total is lowered at start so that
/// <see cref="HttpLimitsOptions.FileHandleReserve"/> file handles stay free under the process's open-file limit, so
/// the process never runs out of them. Thread-safe.
/// </summary>
public sealed partial class ConnectionGate
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perClient = [];
    private readonly int _perClientLimit;
    private readonly IPEndPoint? _management;
    private readonly TrustedProxies _proxies;
    private readonly ApiMetrics _metrics;
    private readonly ILogger<ConnectionGate> _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (long Count, long LastLoggedTicks)> _refusals = new(StringComparer.Ordinal);
    private int _public;
    private int _managementOpen;

    private const string AdmissionKey = "provenance.connection-gate";

    public ConnectionGate(IOptions<HttpLimitsOptions> limits, IOptions<ManagementOptions> management, IOptions<ApiOptions> api, ApiMetrics metrics, ILogger<ConnectionGate> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(management);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(metrics);
        FileLimit = FileHandleLimit.Current();
        PublicLimit = FileHandleLimit.ConnectionBudget(limits.Value.MaxConnections, limits.Value.FileHandleReserve, FileLimit);
        ManagementLimit = limits.Value.MaxManagementConnections;
        _perClientLimit = limits.Value.MaxConnectionsPerClient;
        _management = management.Value.EndPoint();
        _proxies = new TrustedProxies(api.Value);
        _metrics = metrics;
        _logger = logger;
        _time = time;
        metrics.Meter.CreateObservableGauge("provenance.http.connections.open", () => new[]
        {
            new System.Diagnostics.Metrics.Measurement<int>(Volatile.Read(ref _public), new KeyValuePair<string, object?>("listener", "public")),
            new System.Diagnostics.Metrics.Measurement<int>(Volatile.Read(ref _managementOpen), new KeyValuePair<string, object?>("listener", "management")),
        }, "{connection}", "Open HTTP connections, by listener");
        LogConnectionLimits(PublicLimit, _perClientLimit, FileLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
        metrics.Meter.CreateObservableGauge("provenance.http.connections.limit", () => PublicLimit, "{connection}", "Most open connections on the public listener (after the file-handle reserve)");
    }

    /// <summary>The process's open-file limit seen at start (null where unknown).</summary>
    public long? FileLimit { get; }

    /// <summary>Most open connections on the public listener(s).</summary>
    public int PublicLimit { get; }

    public int ManagementLimit { get; }

    /// <summary>Open connections on the public listener(s) now.</summary>
    public int PublicOpen => Volatile.Read(ref _public);

    /// <summary>True when <paramref name="listenerEndPoint"/> is the management listener (which has its own budget).</summary>
    public bool IsManagement(EndPoint? listenerEndPoint) =>
        _management is not null && listenerEndPoint is IPEndPoint ep && ep.Port == _management.Port;

    /// <summary>
    /// Adds the release half to a Kestrel listener: an admitted connection gives its place back when Kestrel is done
    /// with it. (Admission happens earlier, in the accept loop: <see cref="GatedConnectionListenerFactory"/>.) The gate is
    /// resolved on the first connection, once the host has started and validated its settings.
    /// </summary>
    public static void Apply(ListenOptions listen, Func<ConnectionGate> gates)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(gates);
        listen.Use(next => async connection =>
        {
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                gates().Release(connection);
            }
        });
    }

    /// <summary>
    /// Admits a just-accepted connection, counting it, or refuses it (counted and logged) when its listener or its client
    /// is at the limit. Called from the accept loop.
    /// </summary>
    public bool TryAdmit(bool management, EndPoint? remote, ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (management)
        {
            if (Interlocked.Increment(ref _managementOpen) > ManagementLimit)
            {
                Interlocked.Decrement(ref _managementOpen);
                Refuse("management");
                return false;
            }

            connection.Items[AdmissionKey] = new Admission(true, null);
            return true;
        }

        var client = remote is IPEndPoint ip ? ClientNetwork.Of(ip.Address) : null;
        var limited = client is not null && !_proxies.IsProxy(client);
        string? refused = null;
        lock (_gate)
        {
            if (_public >= PublicLimit)
            {
                refused = "total";
            }
            else if (limited && _perClient.GetValueOrDefault(client!) >= _perClientLimit)
            {
                refused = "per_client";
            }
            else
            {
                _public++;
                if (limited)
                {
                    _perClient[client!] = _perClient.GetValueOrDefault(client!) + 1;
                }
            }
        }

        if (refused is not null)
        {
            Refuse(refused);
            return false;
        }

        connection.Items[AdmissionKey] = new Admission(false, limited ? client : null);
        return true;
    }

    private void Release(ConnectionContext connection)
    {
        if (connection.Items.TryGetValue(AdmissionKey, out var value) is false || value is not Admission admission)
        {
            return;
        }

        connection.Items.Remove(AdmissionKey);
        if (admission.Management)
        {
            Interlocked.Decrement(ref _managementOpen);
            return;
        }

        lock (_gate)
        {
            _public--;
            if (admission.Client is { } client)
            {
                var left = _perClient[client] - 1;
                if (left == 0)
                {
                    _perClient.Remove(client);
                }
                else
                {
                    _perClient[client] = left;
                }
            }
        }
    }

    /// <summary>Counts a refusal and logs at most one line per limit every 10 seconds, so a flood cannot flood the log.</summary>
    private void Refuse(string limit)
    {
        _metrics.ConnectionRefused(limit);
        var now = _time.GetUtcNow().UtcTicks;
        long count;
        lock (_refusals)
        {
            var (seen, last) = _refusals.GetValueOrDefault(limit);
            seen++;
            if (now - last < TimeSpan.TicksPerSecond * 10)
            {
                _refusals[limit] = (seen, last);
                return;
            }

            _refusals[limit] = (0, now);
            count = seen;
        }

        LogRefused(limit, count, PublicLimit, _perClientLimit);
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "HTTP connections: at most {Limit} open on the public listener, {PerClient} per client address (open-file limit {FileLimit})")]
    private partial void LogConnectionLimits(int limit, int perClient, string fileLimit);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "HTTP connections refused by the {Limit} limit: {Count} since the last report (limits: {Total} open, {PerClient} per client)")]
    private partial void LogRefused(string limit, long count, int total, int perClient);

    /// <summary>What an admitted connection holds: which budget, and the client network it counts against (null: not limited).</summary>
    private sealed record Admission(bool Management, IPAddress? Client);
}
