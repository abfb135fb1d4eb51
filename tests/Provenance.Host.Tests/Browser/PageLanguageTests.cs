using Provenance.Api.Pages.Text;
using Provenance.Core.Origin;
using Provenance.Core.Verdicts;

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

    public static TheoryData<string> Languages => new() { "en", "zh-CN" };

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_reason_code_the_engine_gives_has_a_sentence_in_each_language(string language)
    {
        var text = language == "en" ? PageText.English : PageText.SimplifiedChinese;
        var missing = VerdictReasons.All.Where(code => !text.Has($"reason.{code}") || text[$"reason.{code}"].Contains('_', StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"{language} lacks a sentence for: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_verdict_and_origin_failure_has_its_words_in_each_language(string language)
    {
        var text = language == "en" ? PageText.English : PageText.SimplifiedChinese;
        var keys = ScanVerdicts.Precedence.Select(ScanVerdicts.Name).SelectMany(v => new[] { $"verdict.{v}.title", $"verdict.{v}.sentence" })
            .Concat(OriginAttestation.AllCodes.Select(f => $"failure.{f}"));

        Assert.DoesNotContain(keys, k => !text.Has(k));
    }

    [Fact]
    public void The_chinese_texts_are_chinese_not_english_left_in_place()
    {
        var same = PageText.English.Keys.Where(k => k.StartsWith("reason.", StringComparison.Ordinal) || k.StartsWith("verdict.", StringComparison.Ordinal))
            .Where(k => PageText.English[k] == PageText.SimplifiedChinese[k]).ToList();

        Assert.Empty(same);
    }
}
