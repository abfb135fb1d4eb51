using System.Text;
using Provenance.Core.Nfc;

namespace Provenance.Core.Tests.Nfc;

/// <summary>The NDEF file and SDM offsets an encoding station writes, checked by playing the chip's part on the file itself.</summary>
public sealed class SunUrlLayoutTests
{
    [Fact]
    public void The_ndef_file_is_one_short_uri_record_with_the_https_prefix_code()
    {
        var layout = new SunUrlLayout("https", "id.example.com", 2);
        var file = layout.NdefFile.ToArray();

        Assert.Equal("https://id.example.com/nfc/2?e=00000000000000000000000000000000&t=IIPROVENANCE-SDM0000000000000000&m=0000000000000000", layout.UrlTemplate);
        Assert.Equal(file.Length - 2, (file[0] << 8) | file[1]);
        Assert.Equal(new byte[] { 0xD1, 0x01, (byte)(file.Length - 6), (byte)'U', 0x04 }, file[2..7]);
        Assert.Equal(layout.UrlTemplate["https://".Length..], Encoding.ASCII.GetString(file[7..]));
    }

    [Fact]
    public void Mirroring_a_tap_into_the_file_at_the_offsets_gives_the_url_and_the_mac_input_the_verifier_uses()
    {
        var layout = new SunUrlLayout("http", "127.0.0.1:8080", 1);
        var ring = new NfcKeyRing(new Dictionary<int, byte[]> { [1] = NfcKeyRing.NewMasterKey() }, 1);
        var keys = ring.ChipKeys(1, Convert.FromHexString("04C767F2066180"));
        var tap = new TapEmulator(1, "04C767F2066180", keys.SdmMetaRead, keys.SdmFileRead).Tap(77, TamperStatus.WasOpened);
        var file = layout.NdefFile.ToArray();

        Assert.Equal("00000000000000000000000000000000", Encoding.ASCII.GetString(file, layout.PiccDataOffset, 32));
        Assert.Equal("II" + SunUrlLayout.FileDataMarker, Encoding.ASCII.GetString(file, layout.FileDataOffset, 16));
        Assert.Equal("0000000000000000", Encoding.ASCII.GetString(file, layout.MacOffset, 16));
        Assert.Equal(0x03, file[6]);

        // What the chip does on a read: replace the placeholders with the dynamic data.
        Encoding.ASCII.GetBytes(Convert.ToHexString(tap.EncryptedPiccData)).CopyTo(file, layout.PiccDataOffset);
        Encoding.ASCII.GetBytes(Convert.ToHexString(tap.EncryptedFileData!)).CopyTo(file, layout.FileDataOffset);
        Encoding.ASCII.GetBytes(Convert.ToHexString(tap.Mac)).CopyTo(file, layout.MacOffset);

        Assert.Equal(tap.MacInput, file[layout.FileDataOffset..layout.MacOffset]);
        Assert.Equal(layout.Url(tap), "http://" + Encoding.ASCII.GetString(file[7..]));
        Assert.Equal(SunStatus.Authentic, new SunVerifier(ring).Verify(tap).Status);
    }

    [Fact]
    public void A_domain_too_long_for_the_ndef_file_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SunUrlLayout("https", new string('a', 200) + ".example", 1));
        Assert.Throws<ArgumentException>(() => new SunUrlLayout("ftp", "id.example.com", 1));
        Assert.Throws<ArgumentException>(() => new SunUrlLayout("https", "id.example.com/path", 1));
    }
}
