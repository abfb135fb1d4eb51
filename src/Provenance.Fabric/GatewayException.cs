using Grpc.Core;

namespace Provenance.Fabric;

/// <summary>
/// A Fabric Gateway call failed. Carries the step, the transaction id, the gRPC status and each failing peer's or
/// orderer's details. <see cref="IsTransient"/> says whether trying again may succeed.
/// </summary>
public class GatewayException : Exception
{
    public GatewayException()
        : this("The Fabric Gateway call failed.")
    {
    }

    public GatewayException(string message)
        : this(message, null)
    {
    }

    public GatewayException(string message, Exception? innerException)
        : this(message, GatewayStep.Evaluate, null, null, [], innerException)
    {
    }

    public GatewayException(
        string message,
        GatewayStep step,
        string? transactionId,
        StatusCode? statusCode,
        IReadOnlyList<ErrorDetail> details,
        Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(details);
        Step = step;
        TransactionId = transactionId;
        StatusCode = statusCode;
        Details = details;
    }

    /// <summary>The step that failed.</summary>
    public GatewayStep Step { get; }

    /// <summary>The transaction id involved, if any (none for chaincode events).</summary>
    public string? TransactionId { get; }

    /// <summary>The gRPC status of the failed call; null when the failure is not a gRPC one.</summary>
    public StatusCode? StatusCode { get; }

    /// <summary>Each failing peer's or orderer's address, MSP id and message.</summary>
    public IReadOnlyList<ErrorDetail> Details { get; }

    /// <summary>
    /// Whether the same call may succeed if tried again: gRPC Unavailable, DeadlineExceeded, ResourceExhausted and
    /// Aborted are transient.
    /// </summary>
    public virtual bool IsTransient => StatusCode is Grpc.Core.StatusCode.Unavailable
        or Grpc.Core.StatusCode.DeadlineExceeded
        or Grpc.Core.StatusCode.ResourceExhausted
        or Grpc.Core.StatusCode.Aborted;
}
