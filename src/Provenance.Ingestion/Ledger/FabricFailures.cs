using Provenance.Fabric;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// Tells the Fabric failures that retrying will not heal from the ones it will, by the peer's own words (Fabric
/// reports them with gRPC codes that also carry transient failures), and says what to fix. Stateless.
/// </summary>
public static class FabricFailures
{
    /// <summary>A <see cref="LedgerUnavailableException"/> for a permanent failure; any other exception as it is.</summary>
    public static Exception Classify(Exception exception, FabricLedgerOptions options)
    {
        if (exception is not GatewayException failure)
        {
            return exception;
        }

        var words = string.Join("; ", failure.Details.Select(d => d.Message).Prepend(failure.Message));
        if (words.Contains("access denied", StringComparison.OrdinalIgnoreCase))
        {
            return new LedgerUnavailableException(
                "access_denied",
                $"The Fabric channel refuses identity '{options.MspId}' ({Path.GetFileName(options.CertificatePath)}): {Server(failure)}. "
                + "Seals are recorded by a client certificate (OU=client) or a provenance.role=recorder identity of the producer organisation, "
                + "gateways registered by an admin: check Ledger:Fabric:MspId, CertificatePath and PrivateKeyPath (and AdminCertificatePath).",
                exception);
        }

        if (words.Contains("No metadata was found for chaincode", StringComparison.Ordinal)
            || words.Contains("no peers available to evaluate chaincode", StringComparison.Ordinal)
            || words.Contains("function that does not exist", StringComparison.Ordinal))
        {
            return new LedgerUnavailableException(
                "chaincode_missing",
                $"Chaincode '{options.Chaincode}' is not deployed (or is another version) on channel '{options.Channel}': {Server(failure)}. "
                + "Deploy it (fabric-network/network.sh deploy) or fix Ledger:Fabric:Chaincode and Ledger:Fabric:Channel.",
                exception);
        }

        if (words.Contains("failed to get config for channel", StringComparison.Ordinal)
            || words.Contains("cannot find channel", StringComparison.OrdinalIgnoreCase))
        {
            return new LedgerUnavailableException(
                "channel_not_found",
                $"The peer at {options.Endpoint} has no channel '{options.Channel}': {Server(failure)}. Fix Ledger:Fabric:Channel, or join the peer to the channel.",
                exception);
        }

        return exception;
    }

    private static string Server(GatewayException failure) =>
        failure.Details.Count > 0 ? string.Join("; ", failure.Details.Select(d => $"{d.Address} ({d.MspId}): {d.Message}")) : failure.Message;
}
