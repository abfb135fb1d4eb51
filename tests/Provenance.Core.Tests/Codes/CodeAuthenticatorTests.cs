using Provenance.Core.Codes;

namespace Provenance.Core.Tests.Codes;

public sealed class CodeAuthenticatorTests
{
    private static readonly byte[] Key1 = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key2 = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
    private readonly CodeAuthenticator _codes = new(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = Key1 }, 1));

    private string SignedUrl() => _codes.Sign(DigitalLink.ForTag("id.example.com", Gtin.Parse("09506000134352"), "7KQ2M9XW4RTA", "L1"));

    [Fact]
    public void A_signed_code_verifies_without_any_database()
    {
        var url = SignedUrl();

        Assert.Matches(@"\?k=1&m=[A-Za-z0-9_-]{16}$", url);
        Assert.Equal(CodeVerificationStatus.Authentic, _codes.Verify(url).Status);
    }

    [Fact]
    public void The_mac_does_not_depend_on_the_host_it_is_scanned_on()
    {
        var url = SignedUrl().Replace("id.example.com", "127.0.0.1:8080", StringComparison.Ordinal);
        Assert.True(_codes.Verify(url).IsAuthentic);
    }

    [Fact]
    public void Changing_any_character_of_the_mac_fails()
    {
        var url = SignedUrl();
        var start = url.IndexOf("m=", StringComparison.Ordinal) + 2;
        for (var i = start; i < url.Length; i++)
        {
            var altered = url[..i] + (url[i] == 'A' ? 'B' : 'A') + url[(i + 1)..];
            Assert.Equal(CodeVerificationStatus.BadMac, _codes.Verify(altered).Status);
        }
    }

    [Theory]
    [InlineData("7KQ2M9XW4RTA", "7KQ2M9XW4RTB")]
    [InlineData("/10/L1/", "/10/L2/")]
    [InlineData("09506000134352", "04006381333931")]
    public void An_altered_serial_lot_or_gtin_fails(string original, string replacement)
    {
        var url = SignedUrl().Replace(original, replacement, StringComparison.Ordinal);
        Assert.Equal(CodeVerificationStatus.BadMac, _codes.Verify(url).Status);
    }

    [Fact]
    public void A_truncated_or_missing_mac_fails()
    {
        var url = SignedUrl();
        Assert.Equal(CodeVerificationStatus.BadMac, _codes.Verify(url[..^1]).Status);
        Assert.Equal(CodeVerificationStatus.BadMac, _codes.Verify(url[..^8]).Status);
        Assert.Equal(CodeVerificationStatus.Malformed, _codes.Verify(url[..url.IndexOf("&m=", StringComparison.Ordinal)]).Status);
    }

    [Fact]
    public void A_forged_mac_from_another_key_fails()
    {
        var forger = new CodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = Key2 }, 1));
        var forged = forger.Sign(DigitalLink.ForTag("id.example.com", Gtin.Parse("09506000134352"), "FORGED00000001"));
        Assert.Equal(CodeVerificationStatus.BadMac, _codes.Verify(forged).Status);
    }

    [Fact]
    public void After_rotation_new_codes_use_the_new_key_and_old_codes_still_verify()
    {
        var old = SignedUrl();
        var rotated = new CodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = Key1, [2] = Key2 }, 2));

        var fresh = rotated.Sign(DigitalLink.ForTag("id.example.com", Gtin.Parse("09506000134352"), "NEW0000000001"));

        Assert.Contains("k=2", fresh, StringComparison.Ordinal);
        Assert.True(rotated.Verify(old).IsAuthentic);
        Assert.True(rotated.Verify(fresh).IsAuthentic);
        Assert.Equal(CodeVerificationStatus.UnknownKey, _codes.Verify(fresh).Status);
    }
}
