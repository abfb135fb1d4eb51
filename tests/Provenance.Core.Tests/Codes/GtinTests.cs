using Provenance.Core.Codes;

namespace Provenance.Core.Tests.Codes;

public sealed class GtinTests
{
    [Theory]
    [InlineData("09506000134352", "09506000134352")]
    [InlineData("4006381333931", "04006381333931")]
    [InlineData("036000291452", "00036000291452")]
    [InlineData("96385074", "00000096385074")]
    public void Valid_gtins_of_every_length_normalise_to_14_digits(string text, string expected)
    {
        Assert.True(Gtin.TryParse(text, out var gtin, out var error), error);
        Assert.Equal(expected, gtin.Value);
    }

    [Theory]
    [InlineData("09506000134353", "check digit")]
    [InlineData("4006381333932", "check digit")]
    [InlineData("0950600013435A", "digits only")]
    [InlineData("123456789", "8, 12, 13 or 14")]
    [InlineData("", "empty")]
    public void Invalid_gtins_are_rejected_with_the_reason(string text, string reason)
    {
        Assert.False(Gtin.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_digit_is_the_gs1_mod_10()
    {
        Assert.Equal('2', CheckDigit.Compute("0950600013435"));
        Assert.True(CheckDigit.IsValid("106141411234567897"));
        Assert.False(CheckDigit.IsValid("106141411234567890"));
    }
}
