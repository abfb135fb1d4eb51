using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Http;

/// <summary>
/// The rate limits, all keyed by the client address (after trusted proxies): public scans per client (endpoint
/// policy <see cref="PublicScan"/>); one code per client; <c>/api/*</c> per client; dashboard sign-in attempts per
/// client. A refused request gets 429, <c>Retry-After</c> and problem details. Limits run before authentication, so
/// a flood of bad keys costs no key lookups.
/// </summary>
public static class RateLimits
{
    public const string PublicScan = "public-scan";
    public const string SignInPath = "/dashboard/login";

    /// <summary>Bursts a person makes without trying: a page that reloads with the location, a mistyped key.</summary>
    private const int MinimumBurst = 5;

    public static void Configure(RateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(PublicScan, context =>
        {
            var api = Api(context);
            return RateLimitPartition.GetTokenBucketLimiter("scan:" + Client(context), _ => Bucket(api.PublicScansPerMinute));
        });
        var perClient = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                return RateLimitPartition.GetTokenBucketLimiter("api:" + Client(context), _ => Bucket(Api(context).ApiRequestsPerMinute));
            }

            if (path == SignInPath && HttpMethods.IsPost(context.Request.Method))
            {
                return RateLimitPartition.GetTokenBucketLimiter("signin:" + Client(context), _ => Bucket(Api(context).SignInAttemptsPerMinute, MinimumBurst));
            }

            return RateLimitPartition.GetNoLimiter(string.Empty);
        });
        options.GlobalLimiter = new GlobalRateLimiter(new KeyedTokenBuckets(TimeProvider.System), new PerCodeLimit().Bucket, perClient);
        options.OnRejected = async (context, cancellationToken) =>
        {
            var http = context.HttpContext;
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var path = http.Request.Path.Value ?? string.Empty;
            var limit = path.StartsWith("/01/", StringComparison.Ordinal) ? "scan" : path.StartsWith("/api/", StringComparison.Ordinal) ? "api" : "signin";
            http.RequestServices.GetRequiredService<ApiMetrics>().RequestLimited(limit);
            await ProblemResponse.WriteAsync(http, StatusCodes.Status429TooManyRequests, $"too many requests from this client; try again in {seconds} s").ConfigureAwait(false);
        };
    }

    /// <summary>A token bucket refilled evenly over the minute; bursts of a quarter of the minute's allowance, and at least <paramref name="minimumBurst"/>.</summary>
    public static TokenBucketRateLimiterOptions Bucket(int perMinute, int minimumBurst = 1) => new()
    {
        TokenLimit = Math.Max(minimumBurst, perMinute / 4),
        TokensPerPeriod = Math.Max(1, perMinute / 60),
        ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>One code per client: the bucket of a scan path (<c>/01/…</c>), none for other paths.</summary>
    private sealed class PerCodeLimit
    {
        // Built on the first scan (the options come from the request's services), then shared by every code's bucket.
        private TokenBucketRateLimiterOptions? _shape;

        public (string Key, TokenBucketRateLimiterOptions Shape)? Bucket(HttpContext context)
        {
            var path = context.Request.Path.Value ?? string.Empty;
            return path.StartsWith("/01/", StringComparison.Ordinal)
                ? (Client(context) + " " + path, _shape ??= RateLimits.Bucket(Api(context).ScansPerCodePerClientPerMinute, MinimumBurst))
                : null;
        }
    }

    private static ApiOptions Api(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;

    private static string Client(HttpContext context) => ClientNetwork.Of(context.Connection.RemoteIpAddress)?.ToString() ?? "unknown";
}
