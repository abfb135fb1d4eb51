namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Sends one write of line-protocol lines and returns InfluxDB's answer; network failures and timeouts are thrown
/// (<see cref="HttpRequestException"/>, <see cref="IOException"/>, <see cref="OperationCanceledException"/>), and
/// <see cref="InfluxWriter"/> decides what every answer means.
/// </summary>
internal interface IInfluxTransport : IDisposable
{
    /// <summary>Where the points go, for log messages (never contains credentials).</summary>
    string Target { get; }

    Task<InfluxReply> SendAsync(IReadOnlyList<string> lines, IReadOnlyList<int> positions, CancellationToken cancellationToken);
}
