using System.Text;
using Provenance.Core.Nfc;

namespace Provenance.Core.Tests.Nfc;

/// <summary>
/// The worked examples of NXP AN12196 (NTAG 424 DNA and NTAG 424 DNA TagTamper features and hints), AES mode, factory
/// (all-zero) keys: the SUN message of §3.4.2 (PICCData, SV2, session MAC key, SDMMAC over an empty input), the one
/// with encrypted file data (MAC over "{enc}&amp;cmac="), and the session key of a non-zero file-read key.
/// </summary>
public sealed class An12196Tests
{
    private static readonly byte[] Zero = new byte[16];

    [Fact]
    public void PiccData_of_the_first_example_decrypts_to_uid_04DE5F1EACC040_and_counter_61()
    {
        var picc = SecureDynamicMessaging.DecryptPiccData(Zero, Convert.FromHexString("EF963FF7828658A599F3041510671E88"));

        Assert.NotNull(picc);
        Assert.Equal("04DE5F1EACC040", picc.UidHex);
        Assert.Equal(61, picc.ReadCounter);
    }

    [Fact]
    public void The_session_keys_and_sdmmac_of_the_first_example_are_the_published_ones()
    {
        var uid = Convert.FromHexString("04DE5F1EACC040");

        Assert.Equal("3FB5F6E3A807A03D5E3570ACE393776F", Convert.ToHexString(SecureDynamicMessaging.SessionMacKey(Zero, uid, 61)));
        Assert.Equal("DF38382B84FB90D2DDDB24E51AAFF7AC", Convert.ToHexString(SecureDynamicMessaging.SessionEncryptionKey(Zero, uid, 61)));
        Assert.Equal("E194C7EE12D9F7EE8A65C8331B704386", Convert.ToHexString(AesCmac.Compute(SecureDynamicMessaging.SessionMacKey(Zero, uid, 61), [])));
        Assert.Equal("94EED9EE65337086", Convert.ToHexString(SecureDynamicMessaging.Mac(Zero, uid, 61, [])));
    }

    [Fact]
    public void The_session_mac_key_of_a_non_zero_file_read_key_is_the_published_one()
    {
        var key = Convert.FromHexString("5ACE7E50AB65D5D51FD5BF5A16B8205B");

        Assert.Equal("3A3E8110E05311F7A3FCF0D969BF2B48", Convert.ToHexString(SecureDynamicMessaging.SessionMacKey(key, Convert.FromHexString("04C767F2066180"), 1)));
    }

    [Fact]
    public void The_example_with_encrypted_file_data_verifies_and_decrypts_to_the_placeholder_text()
    {
        var picc = SecureDynamicMessaging.DecryptPiccData(Zero, Convert.FromHexString("FD91EC264309878BE6345CBE53BADF40"))!;
        var encrypted = Convert.FromHexString("CEE9A53E3E463EF1F459635736738962");

        Assert.Equal("04958CAA5C5E80", picc.UidHex);
        Assert.Equal(8, picc.ReadCounter);
        Assert.Equal("3ED0920E5E6A0320D823D5987FEAFBB1", Convert.ToHexString(SecureDynamicMessaging.SessionMacKey(Zero, picc.Uid, 8)));
        Assert.Equal("ECC1E7F6C6C73BF6", Convert.ToHexString(SecureDynamicMessaging.Mac(Zero, picc.Uid, 8, "CEE9A53E3E463EF1F459635736738962&cmac="u8)));
        Assert.Equal("xxxxxxxxxxxxxxxx", Encoding.ASCII.GetString(SecureDynamicMessaging.DecryptFileData(Zero, picc.Uid, 8, encrypted)));
        Assert.Equal(encrypted, SecureDynamicMessaging.EncryptFileData(Zero, picc.Uid, 8, "xxxxxxxxxxxxxxxx"u8));
    }

    [Fact]
    public void A_message_with_non_zero_keys_verifies_and_its_file_data_decrypts()
    {
        // sdm-backend's custom-key vector (its MAC input is the encrypted data alone, without a parameter name).
        var meta = Convert.FromHexString("42AFF114F2CB3B6141BE6DC95DFC5416");
        var file = Convert.FromHexString("B62A9BAF092439BD43C62AEE96B970C5");
        var picc = SecureDynamicMessaging.DecryptPiccData(meta, Convert.FromHexString("8ACADDEF0A9B62CDAE39A16B83FC14DE"))!;

        Assert.Equal("041D3C8A2D6B80", picc.UidHex);
        Assert.Equal(291, picc.ReadCounter);
        Assert.Equal("238B2543A8DEBAD8", Convert.ToHexString(SecureDynamicMessaging.Mac(file, picc.Uid, 291, "B8436E11F627BB7F543FCC0C1E0D1A89"u8)));
        Assert.Equal("4E545858716E6F5F6F42467077792D56", Convert.ToHexString(SecureDynamicMessaging.DecryptFileData(file, picc.Uid, 291, Convert.FromHexString("B8436E11F627BB7F543FCC0C1E0D1A89"))));
    }

    [Fact]
    public void A_wrong_meta_read_key_does_not_yield_a_uid()
    {
        Assert.Null(SecureDynamicMessaging.DecryptPiccData(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), Convert.FromHexString("EF963FF7828658A599F3041510671E88")));
    }

    [Fact]
    public void Encrypting_the_published_plaintext_gives_back_the_published_picc_data()
    {
        var encrypted = SecureDynamicMessaging.EncryptPiccData(Zero, Convert.FromHexString("04DE5F1EACC040"), 61, Convert.FromHexString("DA5CF60941"));

        Assert.Equal("EF963FF7828658A599F3041510671E88", Convert.ToHexString(encrypted));
    }
}
