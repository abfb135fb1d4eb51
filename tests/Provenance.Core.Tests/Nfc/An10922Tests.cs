using Provenance.Core.Nfc;

namespace Provenance.Core.Tests.Nfc;

/// <summary>NXP AN10922 §2.2.1, AES-128 diversification: master key 00112233…FF, M = UID 04782E21801D80 || AID 3042F5 || "NXP Abu".</summary>
public sealed class An10922Tests
{
    private static readonly byte[] Master = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");

    [Fact]
    public void The_application_note_example_diversifies_to_the_published_key()
    {
        var m = Convert.FromHexString("04782E21801D80" + "3042F5" + "4E585020416275");

        Assert.Equal("A8DD63A3B89D54B37CA802473FDA9175", Convert.ToHexString(An10922.Diversify(Master, m)));
    }

    [Fact]
    public void A_short_input_is_padded_to_two_blocks_and_masked_with_k2_as_the_note_prescribes()
    {
        // Worked by hand from AN10922 §2.2 with raw AES: D = 01h || M || 80h 00h… (32 bytes), last block XOR K2, CBC-MAC.
        var m = Convert.FromHexString("01");
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Master;
        var k2 = Double(Double(aes.EncryptEcb(new byte[16], System.Security.Cryptography.PaddingMode.None)));
        var d = new byte[32];
        d[0] = 0x01;
        d[1] = 0x01;
        d[2] = 0x80;
        for (var i = 0; i < 16; i++)
        {
            d[16 + i] ^= k2[i];
        }

        var expected = aes.EncryptCbc(d, new byte[16], System.Security.Cryptography.PaddingMode.None)[16..];

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(An10922.Diversify(Master, m)));
        Assert.NotEqual(AesCmac.Compute(Master, [0x01, 0x01]), An10922.Diversify(Master, m)); // plain CMAC pads to one block only
    }

    [Fact]
    public void Inputs_of_31_bytes_fill_both_blocks_and_longer_ones_are_refused()
    {
        var m = Enumerable.Range(1, 31).Select(i => (byte)i).ToArray();

        Assert.Equal(AesCmac.Compute(Master, [0x01, .. m]), An10922.Diversify(Master, m));
        Assert.Throws<ArgumentException>(() => An10922.Diversify(Master, new byte[32]));
        Assert.Throws<ArgumentException>(() => An10922.Diversify(Master, []));
    }

    private static byte[] Double(byte[] block)
    {
        var result = new byte[16];
        for (var i = 0; i < 16; i++)
        {
            result[i] = (byte)((block[i] << 1) | (i < 15 ? block[i + 1] >> 7 : 0));
        }

        if ((block[0] & 0x80) != 0)
        {
            result[15] ^= 0x87;
        }

        return result;
    }
}
