using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Api.Geo;
using Provenance.Api.Http;
using Provenance.Api.Pages;
using Provenance.Api.Security;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// Registers and wires the HTTP surface: options, geolocation, alerts and webhooks, OpenAPI, problem details,
/// authentication (API keys, dashboard sessions) and authorization policies with a deny-by-default fallback,
/// forwarded headers from configured proxies only, rate limits, media-type checks, security headers.
/// </summary>
public static class ApiServiceCollectionExtensions
{
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration (the options' sections).</param>
    /// <param name="runAlertsAndWebhooks">
    /// Whether this process takes part in the leader election for the origin-alert monitor and the webhook dispatcher
    /// (an <c>api</c> role process); a process of other roles must not, or it could win it and run them instead.
    /// </param>
    public static IServiceCollection AddProvenanceApi(this IServiceCollection services, IConfiguration configuration, bool runAlertsAndWebhooks = true)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.Section)).ValidateOnStart();
        services.AddOptions<HttpLimitsOptions>().Bind(configuration.GetSection(HttpLimitsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScanHistoryOptions>().Bind(configuration.GetSection(ScanHistoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScanReadModelOptions>().Bind(configuration.GetSection(ScanReadModelOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidation>();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ApiOptionsValidation>();
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
        services.AddOptions<Analytics.AnalyticsOptions>().Bind(configuration.GetSection(Analytics.AnalyticsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Distribution.CustodyOptions>().Bind(configuration.GetSection(Distribution.CustodyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OriginAlertOptions>().Bind(configuration.GetSection(OriginAlertOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Both follow persisted cursors: one instance at a time runs each, or a shared database would see every alert twice.
        services.TryAddSingleton<Leadership>();
        if (runAlertsAndWebhooks)
        {
            services.AddSingleton<IHostedService>(sp => new LeaderElectedService("alerts:origin", ActivatorUtilities.CreateInstance<OriginAlertMonitor>(sp), sp.GetRequiredService<Leadership>()));
        }

        services.AddSingleton<IpLocator>();
        services.AddSingleton<ClientLocator>();
        services.AddSingleton<AlertService>();
        services.AddHttpClient(WebhookDispatcher.ClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<WebhookDispatcher>();
        if (runAlertsAndWebhooks)
        {
            services.AddSingleton<IHostedService>(sp => new LeaderElectedService("dispatch:webhooks", sp.GetRequiredService<WebhookDispatcher>(), sp.GetRequiredService<Leadership>()));
        }

        services.AddOpenApi(OpenApiSecurity.Configure);

        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<ScanBudget>();
        services.AddSingleton<ScannerIdentity>();
        services.AddSingleton<ConnectionGate>();
        services.AddSingleton<ScanHistoryQuota>();
        services.AddHostedService(sp => sp.GetRequiredService<ScanHistoryQuota>());
        services.AddSingleton(sp => new TrustedProxies(sp.GetRequiredService<IOptions<ApiOptions>>().Value));
        services.AddOptions<ForwardedHeadersOptions>().Configure<TrustedProxies>((options, proxies) => proxies.Configure(options));

        services.AddProblemDetails();
        services.AddExceptionHandler<BoundaryExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.MaxDepth = 32);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorization(ApiPolicies.Configure);
        services.AddSingleton<IAuthorizationHandler, ManagementAccessHandler>();
        services.AddRateLimiter(RateLimits.Configure);
        services.AddAntiforgery(o =>
        {
            o.FormFieldName = DashboardLoginPage.TokenField;
            o.HeaderName = null;
            o.Cookie.Name = "provenance_af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    public static WebApplication UseProvenanceApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Options are read per request (they are validated when the host starts, after this pipeline is built).
        app.UseWhen(static context => context.RequestServices.GetRequiredService<TrustedProxies>().Any, static branch => branch.UseForwardedHeaders());
        app.Use(static (context, next) =>
        {
            if (context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.AssumeHttps)
            {
                context.Request.Scheme = Uri.UriSchemeHttps; // the public scheme, behind a TLS proxy we were told about
            }

            return next(context);
        });

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(static (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";
            return next(context);
        });
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(MediaTypeCheck.InvokeAsync);
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(ApiPolicies.Management);
        return app;
    }
}
