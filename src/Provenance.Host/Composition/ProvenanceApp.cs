using Provenance.Api;
using Provenance.Api.Alerts;
using Provenance.Api.Distribution;
using Provenance.Api.Pages;
using Provenance.Api.Producer;
using Provenance.Host.Cli;

namespace Provenance.Host.Composition;

/// <summary>
/// Composes the product in one process: SQLite state, the embedded MQTT broker, ingestion, the ledger sink and the scan
/// API (<see cref="ProvenanceServices"/>). Each embedded part is replaced through configuration
/// (<see cref="ProvenanceConfiguration"/>), and <c>Provenance:Roles</c> (<see cref="NodeRoles"/>) selects what runs.
/// </summary>
internal static class ProvenanceApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string InfluxSection = "Influx";

    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null) =>
        Build(args, overrides is null ? null : _ => overrides);

    /// <summary>Builds the host; <paramref name="overrides"/> sees the configuration read so far and returns settings that win over it.</summary>
    public static WebApplication Build(string[] args, Func<IConfiguration, IReadOnlyDictionary<string, string?>>? overrides)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ProvenanceConfiguration.AddProvenanceSources(builder.Configuration, args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides(builder.Configuration));
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
        });
        builder.Services.AddConsoleLogFormat(builder.Configuration);
        builder.Logging.AddStartupLogFilter();
        var roles = builder.Services.AddProvenanceServices(builder.Configuration);
        var app = builder.Build();
        MapEndpoints(app, roles);
        return app;
    }

    private static void MapEndpoints(WebApplication app, NodeRoles roles)
    {
        app.UseProvenanceApi();
        if (roles.HasFlag(NodeRoles.Api))
        {
            app.MapScanApi();
            app.MapDistributorsApi();
            app.MapShipmentsApi();
            app.MapReceiptsApi();
            app.MapTagEventsApi();
            app.MapProducerApi();
            app.MapGatewaysApi();
            app.MapAlertsApi();
            app.MapProvenancePages();
        }

        app.MapHealthApi();
        app.MapMetricsApi();
    }

    public static string DataDirectory(IServiceProvider services) =>
        Path.GetFullPath(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProvenanceOptions>>().Value.DataDirectory);
}
