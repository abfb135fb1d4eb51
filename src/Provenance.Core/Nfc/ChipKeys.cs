namespace Provenance.Core.Nfc;

/// <summary>
/// The five AES-128 application keys of one NTAG 424 DNA chip: key 0 (application master: changes keys and file
/// settings), key 1 (SDM meta-read: PICCData), key 2 (SDM file-read: SDMMAC and file data), keys 3 and 4 (unused, set
/// so that no key stays at the factory default). Secret: never logged.
/// </summary>
public sealed record ChipKeys(byte[] ApplicationMaster, byte[] SdmMetaRead, byte[] SdmFileRead, byte[] Key3, byte[] Key4)
{
    /// <summary>Keys 0..4 in key-number order.</summary>
    public IReadOnlyList<byte[]> InOrder => [ApplicationMaster, SdmMetaRead, SdmFileRead, Key3, Key4];

    /// <summary>Never prints key material (records print their members by default).</summary>
    public override string ToString() => "ChipKeys { (secret) }";
}
