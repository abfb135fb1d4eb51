using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Provenance.Api.Http;

/// <summary>
/// Checks a request body's media type against what the endpoint accepts (its <see cref="IAcceptsMetadata"/>) before
/// anything reads it, and after authorisation (anonymous requests never get this far): an unparsable
/// <c>Content-Type</c>, a type the endpoint does not take, a charset other than UTF-8, or a multipart body without a
/// boundary answers 415 with problem details.
/// </summary>
public static class MediaTypeCheck
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var accepts = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>();
        var problem = accepts is null || !HasBody(context.Request) ? null : Check(context.Request.ContentType, accepts.ContentTypes);
        if (problem is not null)
        {
            await ProblemResponse.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, problem).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Why <paramref name="contentType"/> is not acceptable, or null when it is.</summary>
    public static string? Check(string? contentType, IReadOnlyList<string> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var expected = string.Join(", ", accepted);
        if (string.IsNullOrEmpty(contentType))
        {
            return $"send a Content-Type: {expected}";
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return $"Content-Type '{contentType}' cannot be parsed; send {expected}";
        }

        if (!accepted.Any(a => Matches(type, a)))
        {
            return $"this endpoint takes {expected}, not {type}";
        }

        var charset = media.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return $"charset '{charset}' is not supported; send UTF-8";
        }

        if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && HeaderUtilities.RemoveQuotes(media.Boundary).Length == 0)
        {
            return "a multipart body needs a boundary parameter in its Content-Type";
        }

        return null;
    }

    private static bool Matches(string type, string accepted) =>
        type.Equals(accepted, StringComparison.OrdinalIgnoreCase)
        || (accepted.Equals("application/json", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.Headers.ContentType.Count > 0;
}
