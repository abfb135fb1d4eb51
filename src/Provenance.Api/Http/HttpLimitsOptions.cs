using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Http;

/// <summary>Connection and request limits of the HTTP listeners, configuration section <c>HttpLimits</c>.</summary>
public sealed class HttpLimitsOptions
{
    public const string Section = "HttpLimits";

    /// <summary>
    /// Open connections on the public listener(s) at most; lowered at start so that <see cref="FileHandleReserve"/> file
    /// handles stay free under the process's open-file limit. Beyond it new connections are closed at once and the open
    /// ones keep being served.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Open connections from one client address at most (IPv6: one /64 network).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerClient { get; set; } = 64;

    /// <summary>Open connections on the management listener at most (counted apart, so a flood of the public port never locks out monitoring).</summary>
    [Range(1, 10_000)]
    public int MaxManagementConnections { get; set; } = 64;

    /// <summary>File handles kept free for the database, the broker and logs when the connection limit is worked out.</summary>
    [Range(16, 1_000_000)]
    public int FileHandleReserve { get; set; } = 512;

    /// <summary>Time a client has to send a request's headers.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time an idle connection is kept open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest request body in bytes (receipts and label batches are the big ones).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 16L * 1024 * 1024;
}
