namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>A message as a broker or subscriber saw it.</summary>
public sealed record ReceivedMessage(string Topic, string Payload, bool Retain)
{
    public bool IsSeal => Topic.EndsWith("/seal", StringComparison.Ordinal);

    /// <summary>The W3C traceparent user property the message carried, if any.</summary>
    public string? TraceParent { get; init; }

    public bool IsGnss => Topic.EndsWith("/gnss", StringComparison.Ordinal);

    public bool IsStatus => Topic.EndsWith("/status", StringComparison.Ordinal);
}
