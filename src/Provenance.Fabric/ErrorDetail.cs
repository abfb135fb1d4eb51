namespace Provenance.Fabric;

/// <summary>
/// One failing peer or orderer, from the <c>gateway.ErrorDetail</c> entries the Fabric Gateway puts in the gRPC
/// status details.
/// </summary>
/// <param name="Address">The peer's or orderer's endpoint, e.g. <c>peer0.org1.example.com:7051</c>.</param>
/// <param name="MspId">The MSP id of its organisation.</param>
/// <param name="Message">Its own words.</param>
public sealed record ErrorDetail(string Address, string MspId, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Address} ({MspId}): {Message}";
}
