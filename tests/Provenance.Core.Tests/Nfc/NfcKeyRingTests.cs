using System.Text;
using Provenance.Core.Nfc;

namespace Provenance.Core.Tests.Nfc;

/// <summary>Per-chip keys diversified from the master key with AN10922 AES-128.</summary>
public sealed class NfcKeyRingTests
{
    private static readonly byte[] Master = Convert.FromHexString("B95F4C27E3D0BC333792EA968545217F");
    private static readonly NfcKeyRing Ring = new(new Dictionary<int, byte[]> { [3] = Master }, 3);

    [Fact]
    public void Each_chip_key_is_an10922_of_the_uid_the_key_number_and_the_system_identifier()
    {
        var uid = Convert.FromHexString("04112233445566");
        var keys = Ring.ChipKeys(3, uid);

        for (byte number = 0; number < 5; number++)
        {
            var m = number == NfcKeyRing.SdmMetaReadKeyNumber
                ? [number, .. Encoding.ASCII.GetBytes("PROVENANCE")]
                : uid.Concat(new[] { number }).Concat(Encoding.ASCII.GetBytes("PROVENANCE")).ToArray();
            Assert.Equal(An10922.Diversify(Master, m), keys.InOrder[number]);
        }

        Assert.Equal(keys.SdmFileRead, Ring.FileReadKey(3, uid));
    }

    [Fact]
    public void Two_chips_share_only_the_meta_read_key()
    {
        var a = Ring.ChipKeys(3, Convert.FromHexString("04112233445566"));
        var b = Ring.ChipKeys(3, Convert.FromHexString("04112233445567"));

        Assert.Equal(a.SdmMetaRead, b.SdmMetaRead);
        foreach (var number in new[] { 0, 2, 3, 4 })
        {
            Assert.NotEqual(a.InOrder[number], b.InOrder[number]);
        }

        Assert.Equal(5, a.InOrder.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void Keys_never_print_themselves()
    {
        var keys = Ring.ChipKeys(3, Convert.FromHexString("04112233445566"));

        Assert.DoesNotContain(Convert.ToHexString(keys.SdmFileRead), keys.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("System.Byte", keys.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Master_keys_must_be_aes_128_and_the_current_id_must_exist()
    {
        Assert.Throws<ArgumentException>(() => new NfcKeyRing(new Dictionary<int, byte[]> { [1] = new byte[32] }, 1));
        Assert.Throws<ArgumentException>(() => new NfcKeyRing(new Dictionary<int, byte[]> { [1] = new byte[16] }, 2));
        Assert.Throws<ArgumentException>(() => Ring.ChipKeys(4, new byte[7]));
    }
}
