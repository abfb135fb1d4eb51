using Grpc.Core;

namespace Provenance.Fabric;

/// <summary>
/// Submitting the endorsed transaction to the ordering service failed. The outcome is ambiguous: query the commit status by transaction id before submitting again.
/// </summary>
public sealed class SubmitException : GatewayException
{
    public SubmitException()
        : this("The Fabric Gateway Submit call failed.")
    {
    }

    public SubmitException(string message)
        : this(message, null)
    {
    }

    public SubmitException(string message, Exception? innerException)
        : base(message, GatewayStep.Submit, null, null, [], innerException)
    {
    }

    public SubmitException(
        string message,
        string transactionId,
        StatusCode? statusCode,
        IReadOnlyList<ErrorDetail> details,
        Exception? innerException)
        : base(message, GatewayStep.Submit, transactionId, statusCode, details, innerException)
    {
    }
}
