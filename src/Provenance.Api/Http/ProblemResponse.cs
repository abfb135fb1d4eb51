using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Provenance.Api.Http;

/// <summary>
/// Writes an RFC 9457 problem details response from middleware (rate limits, media types, authentication), through
/// the registered <see cref="IProblemDetailsService"/> when it accepts the request, else directly as
/// <c>application/problem+json</c>, so every rejection has a body that says what to do.
/// </summary>
public static class ProblemResponse
{
    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = ReasonPhrases.GetReasonPhrase(status),
            Detail = detail,
        };
        if (context.RequestServices.GetService<IProblemDetailsService>() is { } service
            && await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            return;
        }

        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, ProblemJsonContext.Default.ProblemDetails, context.RequestAborted).ConfigureAwait(false);
    }
}
