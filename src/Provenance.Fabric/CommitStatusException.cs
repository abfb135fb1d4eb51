using Grpc.Core;

namespace Provenance.Fabric;

/// <summary>
/// Obtaining the commit status failed. The transaction may still commit: query the commit status again by transaction id.
/// </summary>
public sealed class CommitStatusException : GatewayException
{
    public CommitStatusException()
        : this("The Fabric Gateway CommitStatus call failed.")
    {
    }

    public CommitStatusException(string message)
        : this(message, null)
    {
    }

    public CommitStatusException(string message, Exception? innerException)
        : base(message, GatewayStep.CommitStatus, null, null, [], innerException)
    {
    }

    public CommitStatusException(
        string message,
        string transactionId,
        StatusCode? statusCode,
        IReadOnlyList<ErrorDetail> details,
        Exception? innerException)
        : base(message, GatewayStep.CommitStatus, transactionId, statusCode, details, innerException)
    {
    }
}
