using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Provenance.Api.Http;

/// <summary>
/// The request target as the client sent it. <c>Request.Path</c> has percent-escapes decoded, so a lot such as
/// "L%2/&amp;x" (sent as <c>L%252%2F%26x</c>) would no longer be the text a code's MAC covers.
/// </summary>
internal static class RawRequestTarget
{
    /// <summary>Path and query undecoded; the decoded ones when the server gives no raw target.</summary>
    public static string Of(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw.StartsWith('/')
            ? raw
            : context.Request.Path.Value + context.Request.QueryString.Value;
}
