namespace Provenance.Ingestion.Broker;

/// <summary>What a broker client knows about its connection, for readiness: connected or not, since when, and why not.</summary>
public sealed record BrokerConnection(bool IsConnected, DateTimeOffset Since, string? LastError)
{
    public static BrokerConnection NotYet(DateTimeOffset now) => new(false, now, "not connected yet");
}
