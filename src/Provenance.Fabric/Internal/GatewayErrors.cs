using Grpc.Core;
using Rpc = Provenance.Fabric.Protos.Rpc;

namespace Provenance.Fabric.Internal;

/// <summary>Maps gRPC failures to the step's exception, with peer details from the status trailer. Thread-safe.</summary>
internal static class GatewayErrors
{
    private const string StatusDetailsTrailer = "grpc-status-details-bin";

    public static GatewayException FromRpc(GatewayStep step, string? transactionId, string channelName, RpcException ex)
    {
        var details = ReadDetails(ex);
        var message = FormatMessage(step, transactionId, channelName, ex.Status, details);
        return step switch
        {
            GatewayStep.Endorse => new EndorseException(message, transactionId ?? string.Empty, ex.StatusCode, details, ex),
            GatewayStep.Submit => new SubmitException(message, transactionId ?? string.Empty, ex.StatusCode, details, ex),
            GatewayStep.CommitStatus => new CommitStatusException(message, transactionId ?? string.Empty, ex.StatusCode, details, ex),
            _ => new GatewayException(message, step, transactionId, ex.StatusCode, details, ex),
        };
    }

    /// <summary>Reads the <c>gateway.ErrorDetail</c> entries of the <c>google.rpc.Status</c> trailer, if any.</summary>
    public static IReadOnlyList<ErrorDetail> ReadDetails(RpcException ex)
    {
        var bytes = ex.Trailers?.GetValueBytes(StatusDetailsTrailer);
        if (bytes is null || bytes.Length == 0)
        {
            return [];
        }

        Rpc.Status status;
        try
        {
            status = Rpc.Status.Parser.ParseFrom(bytes);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return [];
        }

        var results = new List<ErrorDetail>();
        foreach (var any in status.Details)
        {
            if (any.Is(Protos.Gateway.ErrorDetail.Descriptor))
            {
                var detail = any.Unpack<Protos.Gateway.ErrorDetail>();
                results.Add(new ErrorDetail(detail.Address, detail.MspId, detail.Message));
            }
        }

        return results;
    }

    private static string FormatMessage(
        GatewayStep step, string? transactionId, string channelName, Status status, IReadOnlyList<ErrorDetail> details)
    {
        var text = transactionId is null
            ? $"{step} failed on channel '{channelName}': {status.StatusCode} {status.Detail}"
            : $"{step} failed for transaction {transactionId} on channel '{channelName}': {status.StatusCode} {status.Detail}";
        return details.Count == 0
            ? text
            : text + "; details: " + string.Join("; ", details);
    }
}
