using Provenance.Api.Http;

namespace Provenance.Api.Tests;

/// <summary>The media-type check that runs before any body is read.</summary>
public sealed class MediaTypeCheckTests
{
    private static readonly string[] Json = ["application/json"];
    private static readonly string[] Form = ["application/x-www-form-urlencoded", "multipart/form-data"];

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF8")]
    [InlineData("application/problem+json")]
    public void Json_in_utf8_passes(string contentType) => Assert.Null(MediaTypeCheck.Check(contentType, Json));

    [Theory]
    [InlineData(null, "send a Content-Type")]
    [InlineData("application/json; charset=bogus", "charset 'bogus'")]
    [InlineData("application/json; charset=utf-16", "charset 'utf-16'")]
    [InlineData("text/plain", "not text/plain")]
    [InlineData(";;;", "cannot be parsed")]
    [InlineData("application/json; charset=\"", "cannot be parsed")]
    public void Anything_else_is_refused_with_the_reason(string? contentType, string reason) =>
        Assert.Contains(reason, MediaTypeCheck.Check(contentType, Json), StringComparison.Ordinal);

    [Fact]
    public void A_multipart_body_needs_its_boundary()
    {
        Assert.Contains("boundary", MediaTypeCheck.Check("multipart/form-data", Form), StringComparison.Ordinal);
        Assert.Null(MediaTypeCheck.Check("multipart/form-data; boundary=x", Form));
        Assert.Null(MediaTypeCheck.Check("application/x-www-form-urlencoded", Form));
    }
}
