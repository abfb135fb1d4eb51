using Grpc.Core;

namespace Provenance.Fabric;

/// <summary>
/// Endorsement failed: the transaction was not endorsed, so it was not sent to the orderer and can be retried with a new or the same proposal.
/// </summary>
public sealed class EndorseException : GatewayException
{
    public EndorseException()
        : this("The Fabric Gateway Endorse call failed.")
    {
    }

    public EndorseException(string message)
        : this(message, null)
    {
    }

    public EndorseException(string message, Exception? innerException)
        : base(message, GatewayStep.Endorse, null, null, [], innerException)
    {
    }

    public EndorseException(
        string message,
        string transactionId,
        StatusCode? statusCode,
        IReadOnlyList<ErrorDetail> details,
        Exception? innerException)
        : base(message, GatewayStep.Endorse, transactionId, statusCode, details, innerException)
    {
    }
}
