namespace Provenance.Core.Gateways;

/// <summary>What a gateway message carries; the last segment of its topic.</summary>
public enum GatewayMessageKind
{
    Gnss,
    Seal,
    Status,
    Pack,
}
