namespace Provenance.Ingestion.Ledger;

/// <summary>
/// A ledger failure that retrying will not heal (access denied, chaincode missing, wrong channel, a gateway the chain
/// does not know): readiness fails with <see cref="Exception.Message"/>, which says what to fix. The sink keeps
/// retrying at its slowest pace, so the ledger catches up once it is fixed.
/// </summary>
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>A stable reason code: <c>access_denied</c>, <c>chaincode_missing</c>, <c>channel_not_found</c>, <c>gateway_not_registered</c>.</summary>
    public string Code { get; }
}
