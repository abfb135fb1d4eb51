using Provenance.Core.Codes;

namespace Provenance.Core.Tests.Codes;

/// <summary>The inner code and the outer code of one bottle: neither can be turned into the other.</summary>
public sealed class InnerCodeAuthenticatorTests
{
    private static readonly byte[] Key1 = CodeKeyRing.NewKey();
    private static readonly CodeKeyRing Ring = new(new Dictionary<int, byte[]> { [1] = Key1, [2] = CodeKeyRing.NewKey() }, 2);
    private static readonly DigitalLink Bottle = DigitalLink.ForTag("id.example.com", Gtin.Parse("09506000134352"), Serial.Generate(), "L1");

    [Fact]
    public void An_outer_code_moved_behind_the_inner_path_does_not_verify_as_an_inner_code()
    {
        var outer = new CodeAuthenticator(Ring).Sign(Bottle);
        var moved = outer.Replace("id.example.com/01/", "id.example.com/in/01/", StringComparison.Ordinal);

        var verification = new InnerCodeAuthenticator(Ring).Verify(moved);

        Assert.Equal(CodeVerificationStatus.BadMac, verification.Status);
    }

    [Fact]
    public void An_inner_code_moved_onto_the_outer_path_does_not_verify_as_either()
    {
        var inner = new InnerCodeAuthenticator(Ring).Sign(Bottle);
        var moved = inner.Replace("/in/01/", "/01/", StringComparison.Ordinal);

        Assert.Equal(CodeVerificationStatus.Authentic, new InnerCodeAuthenticator(Ring).Verify(inner).Status);
        Assert.Equal(CodeVerificationStatus.BadMac, new CodeAuthenticator(Ring).Verify(moved).Status);
        Assert.Equal(CodeVerificationStatus.BadMac, new CodeAuthenticator(Ring).Verify(inner).Status);
        Assert.Equal(CodeVerificationStatus.Malformed, new InnerCodeAuthenticator(Ring).Verify(moved).Status);
    }

    [Fact]
    public void An_inner_code_signed_with_an_older_key_keeps_verifying_after_a_rotation()
    {
        var old = new InnerCodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = Key1 }, 1)).Sign(Bottle);

        Assert.Contains("k=1&", old, StringComparison.Ordinal);
        Assert.Equal(CodeVerificationStatus.Authentic, new InnerCodeAuthenticator(Ring).Verify(old).Status);
    }

    [Fact]
    public void A_changed_serial_or_mac_fails()
    {
        var inner = new InnerCodeAuthenticator(Ring).Sign(Bottle);
        var otherBottle = inner.Replace(Bottle.Serial!, Serial.Generate(), StringComparison.Ordinal);
        var mac = inner.IndexOf("m=", StringComparison.Ordinal) + 2;
        var forged = inner[..mac] + (inner[mac] == 'A' ? 'B' : 'A') + inner[(mac + 1)..];

        Assert.Equal(CodeVerificationStatus.BadMac, new InnerCodeAuthenticator(Ring).Verify(otherBottle).Status);
        Assert.Equal(CodeVerificationStatus.BadMac, new InnerCodeAuthenticator(Ring).Verify(forged).Status);
    }
}
