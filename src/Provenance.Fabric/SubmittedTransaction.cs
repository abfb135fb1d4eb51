namespace Provenance.Fabric;

/// <summary>
/// A transaction accepted by the ordering service: its endorsed result and a <see cref="Commit"/> handle to wait for
/// its commit status. Same thread-safety as <see cref="Commit"/>.
/// </summary>
public sealed class SubmittedTransaction : Commit
{
    private readonly byte[] _result;

    internal SubmittedTransaction(Commit commit, byte[] result)
        : base(commit)
    {
        _result = result;
    }

    /// <summary>The chaincode function's result, as endorsed.</summary>
    public ReadOnlyMemory<byte> Result => _result;
}
