using System.Text;
using Provenance.Core.Nfc;

namespace Provenance.Core.Tests.Nfc;

/// <summary>SUN messages made by the tap emulator (what an encoded chip mirrors) through the verifier.</summary>
public sealed class SunVerifierTests
{
    private const string Uid = "04A1B2C3D4E5F6";

    private static readonly NfcKeyRing Keys = new(new Dictionary<int, byte[]> { [1] = Convert.FromHexString("C9EB67DF090AFF47C3B19A2516680B9D") }, 1);

    [Theory]
    [InlineData(TamperStatus.Closed)]
    [InlineData(TamperStatus.WasOpened)]
    [InlineData(TamperStatus.Open)]
    [InlineData(TamperStatus.NotInitialised)]
    [InlineData(TamperStatus.Absent)]
    public void A_tap_verifies_with_its_uid_counter_and_tamper_state(TamperStatus tamper)
    {
        var verification = new SunVerifier(Keys).Verify(Chip(Keys, 1).Tap(42, tamper));

        Assert.Equal(SunStatus.Authentic, verification.Status);
        Assert.Equal(Uid, verification.Uid);
        Assert.Equal(42, verification.ReadCounter);
        Assert.Equal(tamper, verification.Tamper);
    }

    [Fact]
    public void A_tap_from_a_chip_keyed_with_another_master_key_is_a_bad_mac()
    {
        var other = new NfcKeyRing(new Dictionary<int, byte[]> { [1] = NfcKeyRing.NewMasterKey() }, 1);

        var verification = new SunVerifier(Keys).Verify(Chip(other, 1).Tap(5));

        Assert.Equal(SunStatus.BadMac, verification.Status);
        Assert.Null(verification.Uid);
    }

    [Fact]
    public void A_chip_with_the_right_meta_read_key_but_another_chips_mac_key_is_a_bad_mac()
    {
        var keys = Keys.ChipKeys(1, Convert.FromHexString("04FFFFFFFFFFFF"));
        var forged = new TapEmulator(1, Uid, keys.SdmMetaRead, keys.SdmFileRead).Tap(5);

        Assert.Equal(SunStatus.BadMac, new SunVerifier(Keys).Verify(forged).Status);
    }

    [Fact]
    public void Changing_the_encrypted_file_data_breaks_the_mac()
    {
        var tap = Chip(Keys, 1).Tap(7, TamperStatus.Open);
        var swapped = Chip(Keys, 1).Tap(7, TamperStatus.Closed);
        var spliced = tap with { EncryptedFileData = swapped.EncryptedFileData };
        Assert.True(SunMessage.TryParse("1", spliced.PathAndQuery()[(spliced.PathAndQuery().IndexOf('?', StringComparison.Ordinal) + 1)..], out var parsed, out _));

        Assert.Equal(SunStatus.BadMac, new SunVerifier(Keys).Verify(parsed!).Status);
    }

    [Fact]
    public void An_unknown_key_id_is_reported_as_such()
    {
        Assert.Equal(SunStatus.UnknownKey, new SunVerifier(Keys).Verify(Chip(Keys, 1).Tap(1) with { KeyId = 9 }).Status);
    }

    [Fact]
    public void Chips_encoded_under_an_old_key_id_keep_verifying_after_a_rotation()
    {
        var old = Convert.FromHexString("C9EB67DF090AFF47C3B19A2516680B9D");
        var rotated = new NfcKeyRing(new Dictionary<int, byte[]> { [1] = old, [2] = NfcKeyRing.NewMasterKey() }, 2);

        Assert.Equal(SunStatus.Authentic, new SunVerifier(rotated).Verify(Chip(Keys, 1).Tap(3)).Status);
        Assert.Equal(SunStatus.Authentic, new SunVerifier(rotated).Verify(Chip(rotated, 2).Tap(3)).Status);
        Assert.Equal(SunStatus.UnknownKey, new SunVerifier(Keys).Verify(Chip(rotated, 2).Tap(3)).Status);
    }

    [Theory]
    [InlineData("e=EF963FF7828658A599F3041510671E8&t=00000000000000000000000000000000&m=94EED9EE65337086")]
    [InlineData("e=EF963FF7828658A599F3041510671E8800&t=00000000000000000000000000000000&m=94EED9EE65337086")]
    [InlineData("e=EF963FF7828658A599F3041510671E88&t=0000000000000000000000000000000&m=94EED9EE65337086")]
    [InlineData("e=EF963FF7828658A599F3041510671E88&t=00000000000000000000000000000000&m=94EED9EE6533708")]
    [InlineData("e=EF963FF7828658A599F3041510671E88&t=00000000000000000000000000000000&m=94EED9EE6533708600")]
    [InlineData("e=EF963FF7828658A599F3041510671E88&t=00000000000000000000000000000000")]
    [InlineData("m=94EED9EE65337086&e=EF963FF7828658A599F3041510671E88")]
    [InlineData("e=EF963FF7828658A599F3041510671E88&m=94EED9EE65337086&m=94EED9EE65337086")]
    [InlineData("e=EF963FF7828658A599F3041510671G88&m=94EED9EE65337086")]
    [InlineData("")]
    public void Truncated_oversized_missing_or_rearranged_parameters_are_malformed(string query)
    {
        Assert.Equal(SunStatus.Malformed, new SunVerifier(Keys).Verify("1", query).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData("1234567890")]
    public void A_key_id_segment_that_is_not_a_small_number_is_malformed(string segment)
    {
        Assert.Equal(SunStatus.Malformed, new SunVerifier(Keys).Verify(segment, "e=EF963FF7828658A599F3041510671E88&m=94EED9EE65337086").Status);
    }

    [Fact]
    public void The_application_note_message_verifies_end_to_end_from_its_query_string()
    {
        // AN12196 §3.4.2: every key at the factory default; a ring whose meta-read and file-read keys are zero is not
        // constructible (they are diversified), so the pieces are checked directly.
        Assert.True(SunMessage.TryParse("1", "?e=EF963FF7828658A599F3041510671E88&m=94EED9EE65337086", out var message, out _));

        var picc = SecureDynamicMessaging.DecryptPiccData(new byte[16], message!.EncryptedPiccData)!;
        Assert.Equal(message.Mac, SecureDynamicMessaging.Mac(new byte[16], picc.Uid, picc.ReadCounter, message.MacInput));
        Assert.Empty(message.MacInput);
    }

    [Fact]
    public void A_file_data_plaintext_without_the_marker_is_unreadable_not_trusted()
    {
        var keys = Keys.ChipKeys(1, Convert.FromHexString(Uid));
        var uid = Convert.FromHexString(Uid);
        var fileData = SecureDynamicMessaging.EncryptFileData(keys.SdmFileRead, uid, 9, "CCxxxxxxxxxxxxxx"u8);
        var macInput = Encoding.ASCII.GetBytes(Convert.ToHexString(fileData) + "&m=");
        var picc = SecureDynamicMessaging.EncryptPiccData(keys.SdmMetaRead, uid, 9, new byte[5]);
        var message = new SunMessage(1, picc, fileData, SecureDynamicMessaging.Mac(keys.SdmFileRead, uid, 9, macInput), macInput);

        var verification = new SunVerifier(Keys).Verify(message);

        Assert.Equal(SunStatus.Authentic, verification.Status);
        Assert.Equal(TamperStatus.Unreadable, verification.Tamper);
    }

    private static TapEmulator Chip(NfcKeyRing ring, int keyId)
    {
        var keys = ring.ChipKeys(keyId, Convert.FromHexString(Uid));
        return new TapEmulator(keyId, Uid, keys.SdmMetaRead, keys.SdmFileRead);
    }
}
