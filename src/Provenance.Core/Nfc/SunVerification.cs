namespace Provenance.Core.Nfc;

/// <summary>How a SUN message's verification went.</summary>
public enum SunStatus
{
    /// <summary>Decrypted and MAC-verified: made by a chip holding our keys.</summary>
    Authentic,

    /// <summary>Not a SUN message of the expected shape (missing, truncated or oversized parameters).</summary>
    Malformed,

    /// <summary>The key id in the URL is not one of ours.</summary>
    UnknownKey,

    /// <summary>PICCData does not decrypt to a UID and counter, or the SDMMAC does not match.</summary>
    BadMac,
}

/// <summary>
/// The result of verifying a SUN message: the status and, when authentic, the chip's UID, its read counter and the
/// tamper loop's state (from the authenticated, decrypted file data). Immutable.
/// </summary>
public sealed record SunVerification(SunStatus Status, int KeyId, string? Error)
{
    /// <summary>The chip UID, upper-case hex (authentic messages only).</summary>
    public string? Uid { get; init; }

    /// <summary>The SDM read counter (authentic messages only).</summary>
    public int ReadCounter { get; init; }

    /// <summary>The tamper loop (authentic messages only).</summary>
    public TamperStatus Tamper { get; init; } = TamperStatus.Absent;

    public bool IsAuthentic => Status == SunStatus.Authentic;
}
