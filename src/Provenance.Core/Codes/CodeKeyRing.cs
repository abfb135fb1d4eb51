using System.Security.Cryptography;

namespace Provenance.Core.Codes;

/// <summary>The MAC keys of issued codes by key id, and which id signs new codes. Old ids keep verifying after a rotation. Immutable.</summary>
public sealed class CodeKeyRing
{
    public const int KeyBytes = 32;

    private readonly Dictionary<int, byte[]> _keys;

    public CodeKeyRing(IReadOnlyDictionary<int, byte[]> keys, int currentKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (id, key) in keys)
        {
            if (id < 0 || key.Length < 16)
            {
                throw new ArgumentException($"code key {id} must have a non-negative id and at least 16 bytes", nameof(keys));
            }
        }

        if (!keys.ContainsKey(currentKeyId))
        {
            throw new ArgumentException($"the current key id {currentKeyId} is not among the keys", nameof(currentKeyId));
        }

        _keys = keys.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        CurrentKeyId = currentKeyId;
    }

    public int CurrentKeyId { get; }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    internal bool TryGet(int id, out byte[] key) => _keys.TryGetValue(id, out key!);

    /// <summary>
    /// A ring with the same ids and current id whose keys are HKDF-SHA256 (RFC 5869, no salt) of these keys with
    /// <paramref name="info"/>: MACs under the derived ring are unrelated to MACs under this one, so one kind of code can
    /// never be turned into another.
    /// </summary>
    internal CodeKeyRing Derive(ReadOnlySpan<byte> info)
    {
        var derived = new Dictionary<int, byte[]>(_keys.Count);
        foreach (var (id, key) in _keys)
        {
            derived[id] = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, KeyBytes, [], info.ToArray());
        }

        return new CodeKeyRing(derived, CurrentKeyId);
    }
}
