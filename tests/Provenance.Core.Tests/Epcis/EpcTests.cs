using Provenance.Core.Epcis;

namespace Provenance.Core.Tests.Epcis;

public sealed class EpcTests
{
    [Theory]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017")]
    [InlineData("urn:epc:id:sgtin:9506000.013435.AB%2FC", "https://id.gs1.org/01/09506000134352/21/AB%2FC")]
    [InlineData("urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908")]
    [InlineData("urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877")]
    [InlineData("https://id.example.com/01/09506000134352/10/L1/21/ABC?k=1&m=xyz", "https://id.gs1.org/01/09506000134352/21/ABC")]
    [InlineData("https://id.gs1.org/00/106141412345678908", "https://id.gs1.org/00/106141412345678908")]
    public void Epc_urns_and_digital_links_on_any_host_become_the_canonical_digital_link(string text, string canonical)
    {
        Assert.True(Epc.TryParse(text, out var epc, out var error), error);
        Assert.Equal(canonical, epc!.Uri);
    }

    [Fact]
    public void An_sscc_urn_keeps_the_extension_digit_once_and_gets_the_check_digit_of_the_18_digit_key()
    {
        // TDS: the extension digit leads the serial reference in the URN and the SSCC; the key is 18 digits.
        Assert.True(Epc.TryParse("urn:epc:id:sscc:9506000.0000000001", out var epc, out _));
        Assert.Equal("095060000000000015", epc!.Sscc);
        Assert.Equal(18, epc.Sscc!.Length);
        Assert.True(Provenance.Core.Codes.CheckDigit.IsValid(epc.Sscc));
    }

    [Theory]
    [InlineData("urn:epc:id:sgtin:0614141.10734.2017")] // 12 digits instead of 13
    [InlineData("urn:epc:id:grai:0614141.12345.400")]
    [InlineData("https://id.example.com/01/09506000134353/21/ABC")] // wrong check digit
    [InlineData("https://id.example.com/01/09506000134352")] // a product, not an item
    [InlineData("geo:27.86,106.37")]
    public void Identifiers_that_are_not_bottles_cases_or_lots_are_refused_with_a_reason(string text)
    {
        Assert.False(Epc.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
