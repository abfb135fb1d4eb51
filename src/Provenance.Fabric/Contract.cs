using System.Text;

namespace Provenance.Fabric;

/// <summary>
/// A chaincode (and optionally one named contract within it) on a channel. <see cref="SubmitAsync(string, ProposalOptions?, CancellationToken)"/>
/// runs endorse → submit → wait for commit; use <see cref="NewProposal"/> for step-by-step control.
/// Immutable and thread-safe.
/// </summary>
public sealed class Contract
{
    internal Contract(Network network, string chaincodeName, string? contractName)
    {
        Network = network;
        ChaincodeName = chaincodeName;
        ContractName = string.IsNullOrEmpty(contractName) ? null : contractName;
    }

    /// <summary>The channel.</summary>
    public Network Network { get; }

    /// <summary>The chaincode name.</summary>
    public string ChaincodeName { get; }

    /// <summary>The contract name, or null for the chaincode's default contract.</summary>
    public string? ContractName { get; }

    /// <summary>A signed-on-demand proposal to invoke a function; nothing is sent yet.</summary>
    public Proposal NewProposal(string transactionName, ProposalOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionName);
        var qualified = ContractName is null ? transactionName : $"{ContractName}:{transactionName}";
        var gateway = Network.Gateway;
        var proposed = Internal.ProposalBuilder.Build(
            gateway.Identity.Serialize(), Network.Name, ChaincodeName, qualified, options ?? ProposalOptions.Empty, gateway.TimeProvider);
        return Proposal.FromProposedTransaction(gateway, proposed);
    }

    /// <summary>Evaluates a function on one peer (a query: nothing is ordered) and returns its result.</summary>
    public Task<byte[]> EvaluateAsync(string transactionName, ProposalOptions? options = null, CancellationToken cancellationToken = default) =>
        NewProposal(transactionName, options).EvaluateAsync(cancellationToken);

    /// <summary>Evaluates a function with UTF-8 string arguments.</summary>
    public Task<byte[]> EvaluateAsync(string transactionName, IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        EvaluateAsync(transactionName, ProposalOptions.WithArguments(arguments), cancellationToken);

    /// <summary>
    /// Endorses, submits and waits for the commit; returns the function's result. Throws <see cref="EndorseException"/>,
    /// <see cref="SubmitException"/>, <see cref="CommitStatusException"/>, or <see cref="CommitException"/> when the
    /// transaction was committed as invalid; each carries the transaction id.
    /// </summary>
    public async Task<byte[]> SubmitAsync(string transactionName, ProposalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var submitted = await SubmitAsyncNoWait(transactionName, options, cancellationToken).ConfigureAwait(false);
        var status = await submitted.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        if (!status.Successful)
        {
            throw new CommitException(status);
        }

        return submitted.Result.ToArray();
    }

    /// <summary>Submits with UTF-8 string arguments and waits for the commit.</summary>
    public Task<byte[]> SubmitAsync(string transactionName, IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        SubmitAsync(transactionName, ProposalOptions.WithArguments(arguments), cancellationToken);

    /// <summary>
    /// Endorses and submits, without waiting for the commit: the returned handle has the result and
    /// <see cref="Commit.GetStatusAsync"/>.
    /// </summary>
    public async Task<SubmittedTransaction> SubmitAsyncNoWait(
        string transactionName, ProposalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var transaction = await NewProposal(transactionName, options).EndorseAsync(cancellationToken).ConfigureAwait(false);
        return await transaction.SubmitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() =>
        new StringBuilder(Network.Name).Append('/').Append(ChaincodeName)
            .Append(ContractName is null ? string.Empty : "/" + ContractName).ToString();
}
