using Provenance.Api.Pages.Text;

namespace Provenance.Api.Tests;

public sealed class PageLanguageTests
{
    [Theory]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans")]
    [InlineData("en-US,en;q=0.9,zh;q=0.8", "en")]
    [InlineData("fr-FR,fr;q=0.9", "en")]
    [InlineData(null, "en")]
    public void The_page_language_follows_accept_language_and_falls_back_to_english(string? header, string expected) =>
        Assert.StartsWith(expected[..2], PageLanguage.Negotiate(header).Language, StringComparison.Ordinal);
}
