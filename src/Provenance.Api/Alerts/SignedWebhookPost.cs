using System.Net.Http.Headers;
using Polly;

namespace Provenance.Api.Alerts;

/// <summary>How one signed webhook delivery ended: taken (2xx), or refused for good with the status and the receiver's first words.</summary>
public sealed record WebhookPostResult(bool Delivered, int Status, string Said, int Attempts);

/// <summary>
/// One webhook delivery with retries, shared by the alert and payout dispatchers: POSTs <c>body</c> as JSON, signed
/// (<see cref="WebhookSignature"/>, a fresh timestamp per attempt) with the caller's extra headers unchanged across
/// attempts, until the receiver answers 2xx or refuses for good (3xx, 4xx other than 408 and 429). Network errors,
/// timeouts, 408, 429 and 5xx are retried with exponential back-off, honouring <c>Retry-After</c>, behind a circuit
/// breaker that stops calling a receiver that keeps failing (<see cref="WebhookRetry"/>): a Polly pipeline on the
/// caller's <see cref="TimeProvider"/>, visible on the <c>Polly</c> meter under the caller's pipeline name. Stateless.
/// </summary>
public static class SignedWebhookPost
{
    /// <summary>
    /// Delivers until taken or refused, through the receiver's <paramref name="pipeline"/> (<see cref="WebhookRetry.Build"/>,
    /// built once per receiver so its breaker sees every delivery); <paramref name="onRetry"/> hears each failed attempt (status, or null when unreachable or the circuit is open) before the wait.
    /// </summary>
    internal static async Task<WebhookPostResult> SendAsync(
        HttpClient client, string url, string secret, byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers,
        ResiliencePipeline<WebhookAttempt> pipeline, TimeProvider time, Action<int?, int, Exception?> onRetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onRetry);
        var attempts = 0;
        var context = WebhookRetry.ContextFor(onRetry, cancellationToken);
        try
        {
            var last = await pipeline.ExecuteAsync(
                async (ctx, _) => await AttemptAsync(client, url, secret, body, headers, time, ++attempts, ctx.CancellationToken).ConfigureAwait(false),
                context, 0).ConfigureAwait(false);
            return last.Final ?? throw new InvalidOperationException("The webhook retry pipeline stopped before the receiver answered for good.");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async Task<WebhookAttempt> AttemptAsync(
        HttpClient client, string url, string secret, byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers,
        TimeProvider time, int attempt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return WebhookAttempt.Taken(new WebhookPostResult(true, status, string.Empty, attempt));
            }

            if (IsPermanent(status))
            {
                return WebhookAttempt.Taken(new WebhookPostResult(false, status, await ReadSnippetAsync(response, cancellationToken).ConfigureAwait(false), attempt));
            }

            return new WebhookAttempt(null, status, response.Headers.RetryAfter?.Delta, null);
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(null, null, null, e);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, null, null, null);
        }
    }

    /// <summary>3xx (redirects are not followed) and 4xx other than 408 and 429: retrying would get the same answer.</summary>
    public static bool IsPermanent(int status) => status is >= 300 and < 500 and not 408 and not 429;

    /// <summary>The first few hundred bytes of the receiver's answer (never more, whatever it sends).</summary>
    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = new byte[512];
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            }
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }
}
