using Provenance.Core.Codes;

namespace Provenance.Core.Tests.Codes;

public sealed class DigitalLinkTests
{
    [Fact]
    public void A_tag_link_round_trips_through_its_uri()
    {
        var link = DigitalLink.ForTag("id.example.com", Gtin.Parse("9506000134352"), "7KQ2M9XW4RTA", "L/2026&1");

        var uri = link.ToUri();
        var parsed = DigitalLink.Parse(uri);

        Assert.Equal("https://id.example.com/01/09506000134352/10/L%2F2026%261/21/7KQ2M9XW4RTA", uri);
        Assert.Equal("09506000134352", parsed.Gtin!.Value.Value);
        Assert.Equal("L/2026&1", parsed.Lot);
        Assert.Equal("7KQ2M9XW4RTA", parsed.Serial);
        Assert.Equal(link.CanonicalPath, parsed.CanonicalPath);
    }

    [Theory]
    [InlineData("!\"%&'()*+,-./:;<=>?_")]
    [InlineData("ABCxyz019")]
    public void Every_cset_82_character_in_a_serial_survives_escaping(string serial)
    {
        var uri = DigitalLink.ForTag("h.example", Gtin.Parse("09506000134352"), serial).ToUri();
        Assert.Equal(serial, DigitalLink.Parse(uri).Serial);
    }

    [Fact]
    public void A_custom_path_prefix_and_query_attributes_are_kept()
    {
        var link = DigitalLink.Parse("https://example.com/brand/x/01/09506000134352/21/AB1?17=261231&linkType=gs1:pip");

        Assert.Equal("brand/x", link.PathPrefix);
        Assert.Equal("261231", link.Attribute("17"));
        Assert.Equal("gs1:pip", link.Attribute("linkType"));
        Assert.Equal("/01/09506000134352/21/AB1", link.CanonicalPath);
    }

    [Fact]
    public void A_case_code_with_an_sscc_parses()
    {
        var link = DigitalLink.Parse("https://example.com/00/106141411234567897");
        Assert.Equal("106141411234567897", link.Sscc);
        Assert.Equal("/00/106141411234567897", link.CanonicalPath);
    }

    [Theory]
    [InlineData("https://e.com/01/09506000134353/21/A", "check digit")]
    [InlineData("https://e.com/01/09506000134352/21/A/10/L", "out of order")]
    [InlineData("https://e.com/01/09506000134352/10/L/10/M", "twice")]
    [InlineData("https://e.com/01/09506000134352/99/X", "unknown AI 99")]
    [InlineData("https://e.com/01/09506000134352/17/261231", "belongs in the query")]
    [InlineData("https://e.com/10/L1/01/09506000134352", "wrong place")]
    [InlineData("https://e.com/01/09506000134352/21/A?21=B", "belongs in the path")]
    [InlineData("https://e.com/01/09506000134352/21/A?99=1", "unknown AI 99")]
    [InlineData("https://e.com/01/09506000134352/21/A?17=261399", "not valid for AI 17")]
    [InlineData("https://e.com/01/09506000134352/21/A?k=1&k=2", "twice")]
    [InlineData("https://e.com/01/09506000134352/21/ABCDEFGHIJKLMNOPQRSTU", "1-20")]
    [InlineData("https://e.com/01/09506000134352/21/A%2", "percent-escape")]
    [InlineData("https://e.com/01/09506000134352/21/a%20b", "CSET 82")]
    [InlineData("https://e.com/00/106141411234567890", "SSCC")]
    [InlineData("https://e.com/00/106141411234567897/21/A", "no key qualifiers")]
    [InlineData("ftp://e.com/01/09506000134352", "https://")]
    [InlineData("https://e.com/gtin/09506000134352", "no GS1 primary key")]
    public void What_the_standard_rejects_is_rejected_with_the_reason(string uri, string reason)
    {
        Assert.False(DigitalLink.TryParse(uri, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
