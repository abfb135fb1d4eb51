using System.Security.Cryptography;

namespace Provenance.Fabric.Internal;

/// <summary>
/// A new transaction's id and signature header: a 24-byte random nonce, and
/// <c>tx id = hex(SHA-256(nonce ‖ creator))</c> (always SHA-256, whatever the signing hash). Immutable.
/// </summary>
internal sealed record TransactionContext(string TransactionId, byte[] Nonce, byte[] Creator)
{
    public const int NonceLength = 24;

    public static TransactionContext Create(byte[] creator)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        return new TransactionContext(ComputeTransactionId(nonce, creator), nonce, creator);
    }

    public static string ComputeTransactionId(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> creator)
    {
        var salted = new byte[nonce.Length + creator.Length];
        nonce.CopyTo(salted);
        creator.CopyTo(salted.AsSpan(nonce.Length));
        return Convert.ToHexStringLower(SHA256.HashData(salted));
    }
}
