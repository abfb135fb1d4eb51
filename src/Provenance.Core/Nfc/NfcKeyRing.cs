using System.Security.Cryptography;
using System.Text;

namespace Provenance.Core.Nfc;

/// <summary>
/// The NFC master keys (AES-128) by key id, and which id encodes new chips; like the code MAC keys, old ids keep
/// verifying after a rotation (the id is in every cap's URL). Every chip key is diversified from a master key with
/// NXP AN10922 AES-128 (<see cref="An10922"/>), diversification input <c>M = UID || key number || "PROVENANCE"</c>,
/// except the SDM meta-read key (<see cref="SdmMetaReadKeyNumber"/>): PICCData must be decrypted before the UID is
/// known, so that key is diversified without the UID (<c>M = key number || "PROVENANCE"</c>) and is shared by every
/// chip of one key id. It only hides UID and counter; the MAC key of each chip is its own. Immutable and thread-safe.
/// </summary>
public sealed class NfcKeyRing
{
    public const int KeyBytes = 16;

    /// <summary>The application key that authenticates PICCData decryption (SDMMetaRead access right).</summary>
    public const byte SdmMetaReadKeyNumber = 1;

    /// <summary>The application key of SDMMAC and SDMENCFileData (SDMFileRead access right).</summary>
    public const byte SdmFileReadKeyNumber = 2;

    /// <summary>The AN10922 system identifier appended to every diversification input.</summary>
    public static ReadOnlySpan<byte> SystemIdentifier => "PROVENANCE"u8;

    private readonly Dictionary<int, byte[]> _masters;
    private readonly Dictionary<int, byte[]> _metaReadKeys;

    public NfcKeyRing(IReadOnlyDictionary<int, byte[]> masterKeys, int currentKeyId)
    {
        ArgumentNullException.ThrowIfNull(masterKeys);
        foreach (var (id, key) in masterKeys)
        {
            if (id < 0 || key.Length != KeyBytes)
            {
                throw new ArgumentException($"NFC master key {id} must have a non-negative id and exactly {KeyBytes} bytes (AES-128)", nameof(masterKeys));
            }
        }

        if (!masterKeys.ContainsKey(currentKeyId))
        {
            throw new ArgumentException($"the current NFC key id {currentKeyId} is not among the keys", nameof(currentKeyId));
        }

        _masters = masterKeys.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        _metaReadKeys = _masters.ToDictionary(kv => kv.Key, kv => An10922.Diversify(kv.Value, Input([], SdmMetaReadKeyNumber)));
        CurrentKeyId = currentKeyId;
    }

    public int CurrentKeyId { get; }

    public static byte[] NewMasterKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    /// <summary>Whether <paramref name="keyId"/> is known.</summary>
    public bool Contains(int keyId) => _masters.ContainsKey(keyId);

    /// <summary>The shared SDM meta-read key of <paramref name="keyId"/>; false when the id is unknown.</summary>
    public bool TryGetMetaReadKey(int keyId, out byte[] key) => _metaReadKeys.TryGetValue(keyId, out key!);

    /// <summary>The SDM file-read (MAC and file encryption) key of one chip.</summary>
    public byte[] FileReadKey(int keyId, ReadOnlySpan<byte> uid) => An10922.Diversify(Master(keyId), Input(uid, SdmFileReadKeyNumber));

    /// <summary>All five application keys of one chip, as the encoding station writes them.</summary>
    public ChipKeys ChipKeys(int keyId, ReadOnlySpan<byte> uid)
    {
        if (uid.Length != SecureDynamicMessaging.UidBytes)
        {
            throw new ArgumentException("an NTAG 424 DNA UID is 7 bytes", nameof(uid));
        }

        var master = Master(keyId);
        return new ChipKeys(
            An10922.Diversify(master, Input(uid, 0)),
            _metaReadKeys[keyId].ToArray(),
            An10922.Diversify(master, Input(uid, SdmFileReadKeyNumber)),
            An10922.Diversify(master, Input(uid, 3)),
            An10922.Diversify(master, Input(uid, 4)));
    }

    private byte[] Master(int keyId) =>
        _masters.TryGetValue(keyId, out var master) ? master : throw new ArgumentException($"NFC key id {keyId} is unknown", nameof(keyId));

    private static byte[] Input(ReadOnlySpan<byte> uid, byte keyNumber)
    {
        var m = new byte[uid.Length + 1 + SystemIdentifier.Length];
        uid.CopyTo(m);
        m[uid.Length] = keyNumber;
        SystemIdentifier.CopyTo(m.AsSpan(uid.Length + 1));
        return m;
    }

    /// <summary>The system identifier as text, for documentation and the encoding file.</summary>
    public static string SystemIdentifierText => Encoding.ASCII.GetString(SystemIdentifier);
}
