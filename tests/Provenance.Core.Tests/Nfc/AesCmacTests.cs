using Provenance.Core.Nfc;

namespace Provenance.Core.Tests.Nfc;

/// <summary>Known-answer tests from RFC 4493 §4 (AES-128 key 2b7e1516…, messages of 0, 16, 40 and 64 bytes).</summary>
public sealed class AesCmacTests
{
    private const string Key = "2b7e151628aed2a6abf7158809cf4f3c";
    private const string Message = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    [Theory]
    [InlineData(0, "bb1d6929e95937287fa37d129b756746")]
    [InlineData(16, "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData(40, "dfa66747de9ae63030ca32611497c827")]
    [InlineData(64, "51f0bebf7e3b9d92fc49741779363cfe")]
    public void The_cmac_of_the_rfc_4493_examples_is_the_published_one(int length, string expected)
    {
        var message = Convert.FromHexString(Message)[..length];

        Assert.Equal(expected, Convert.ToHexStringLower(AesCmac.Compute(Convert.FromHexString(Key), message)));
    }

    [Fact]
    public void One_instance_gives_the_same_answers_for_many_messages()
    {
        using var cmac = new AesCmac(Convert.FromHexString(Key));
        var message = Convert.FromHexString(Message);

        Assert.Equal("dfa66747de9ae63030ca32611497c827", Convert.ToHexStringLower(cmac.Compute(message[..40])));
        Assert.Equal("bb1d6929e95937287fa37d129b756746", Convert.ToHexStringLower(cmac.Compute([])));
        Assert.Equal("51f0bebf7e3b9d92fc49741779363cfe", Convert.ToHexStringLower(cmac.Compute(message)));
    }

    [Fact]
    public void A_key_that_is_not_128_bits_is_refused()
    {
        Assert.Throws<ArgumentException>(() => AesCmac.Compute(new byte[32], []));
    }
}
