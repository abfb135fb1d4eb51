using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Api.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Api;

/// <summary>
/// Registers and wires the HTTP surface: options, geolocation, alerts and webhooks, OpenAPI, the public rate limits
/// (per client and per code; 429 with Retry-After), security headers.
/// </summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddProvenanceApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<VerdictPolicy>().Bind(configuration.GetSection(VerdictPolicy.Section)).ValidateDataAnnotations()
            .Validate(p => p.OpenedGrace >= TimeSpan.Zero, "Verdicts:OpenedGrace must not be negative").ValidateOnStart();
        services.AddOptions<GeoOptions>().Bind(configuration.GetSection(GeoOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.MmdbPath) || File.Exists(o.MmdbPath), "Geo:MmdbPath names a file that does not exist").ValidateOnStart();
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Url) || (Uri.TryCreate(o.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"), "Webhooks:Url must be an absolute http(s) URL")
            .Validate(o => string.IsNullOrEmpty(o.Url) || o.Secret.Length >= 16, "Webhooks:Secret must be at least 16 characters when Webhooks:Url is set")
            .ValidateOnStart();
        services.AddOptions<Pages.PageOptions>().Bind(configuration.GetSection(Pages.PageOptions.Section))
            .Validate(o => Pages.PageTime.FindZone(o.TimeZone) is not null, "Pages:TimeZone must be an IANA time zone this machine knows, e.g. Asia/Shanghai (install the tzdata package, or set it to UTC)")
            .ValidateOnStart();
        services.AddOptions<OriginAlertOptions>().Bind(configuration.GetSection(OriginAlertOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<OriginAlertMonitor>();
        services.AddSingleton<IpLocator>();
        services.AddSingleton<ClientLocator>();
        services.AddSingleton<AlertService>();
        services.AddHttpClient(WebhookDispatcher.ClientName);
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddOpenApi();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(ScanApi.RateLimitPolicy, context =>
            {
                var api = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                var client = context.RequestServices.GetRequiredService<ClientLocator>().ClientAddress(context)?.ToString() ?? "unknown";
                return RateLimitPartition.GetTokenBucketLimiter("client:" + client, _ => Bucket(api.PublicScansPerMinute));
            });
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var path = context.Request.Path.Value ?? string.Empty;
                if (!path.StartsWith("/01/", StringComparison.Ordinal))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var api = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter("code:" + path, _ => Bucket(api.ScansPerCodePerMinute));
            });
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = Math.Max(1, perMinute / 4),
        TokensPerPeriod = Math.Max(1, perMinute / 60),
        ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public static WebApplication UseProvenanceApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(static (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
            return next(context);
        });
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
