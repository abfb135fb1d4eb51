using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provenance.Api.Http;

/// <summary>
/// Turns what a malformed request makes the framework throw into a problem-details 4xx with the framework's own
/// explanation (unreadable JSON, a missing body, a form too large, a body over the limit, a failed antiforgery check,
/// text with a NUL character that PostgreSQL cannot store),
/// and anything else into a logged 500 that tells the caller nothing internal. Thread-safe.
/// </summary>
public sealed partial class BoundaryExceptionHandler(ILogger<BoundaryExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; nobody is left to answer
        }

        var (status, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, $"the body is not valid JSON for this endpoint: {json.Message}"),
            InvalidDataException data => (StatusCodes.Status400BadRequest, $"the form could not be read: {data.Message}"),
            AntiforgeryValidationException => (StatusCodes.Status400BadRequest, "the form's antiforgery token is missing or stale; reload the page and try again"),
            _ when Provenance.Storage.StorageErrors.IsUnstorableText(exception) => (StatusCodes.Status400BadRequest, "the request holds a NUL character (U+0000) in a text value; remove it"),
            _ => (StatusCodes.Status500InternalServerError, $"internal error (request {httpContext.TraceIdentifier}); it has been logged"),
        };
        if (status >= 500)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? string.Empty, httpContext.TraceIdentifier);
        }

        await ProblemResponse.WriteAsync(httpContext, status, detail).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Error, Message = "Unhandled error answering {Method} {Path} (request {RequestId})")]
    private partial void LogUnhandled(Exception exception, string method, string path, string requestId);
}
