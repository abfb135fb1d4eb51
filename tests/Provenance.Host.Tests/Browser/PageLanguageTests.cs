using Provenance.Api.Pages.Text;

namespace Provenance.Host.Tests.Browser;

/// <summary>Accept-Language negotiation for the pages, and the completeness of the string tables.</summary>
public sealed class PageLanguageTests
{
    [Theory]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh-Hans", "zh-CN")]
    [InlineData("zh-Hans-CN,en;q=0.5", "zh-CN")]
    [InlineData("en-US,en;q=0.9,zh-CN;q=0.8", "en")]
    [InlineData("fr-FR, zh;q=0.7, en;q=0.3", "zh-CN")]
    [InlineData("en;q=0.2, zh-CN;q=0.9", "zh-CN")]
    [InlineData("zh;q=0, en;q=0.1", "en")]
    [InlineData("de, fr;q=0.8", "en")]
    [InlineData("*;q=0.5, zh;q=0.4", "en")]
    public void Accept_language_picks_the_best_acceptable_page_language(string? header, string expected) =>
        Assert.Equal(expected, PageLanguage.Negotiate(header).Language);

    [Fact]
    public void Both_languages_have_a_text_for_every_key()
    {
        var english = PageText.English.Keys.ToHashSet();
        var chinese = PageText.SimplifiedChinese.Keys.ToHashSet();
        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }
}
