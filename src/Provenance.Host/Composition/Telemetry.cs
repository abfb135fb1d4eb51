using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Provenance.Host.Composition;

/// <summary>
/// OpenTelemetry for the host: every <c>Provenance.*</c> meter plus ASP.NET Core, HttpClient and runtime metrics, scraped
/// as Prometheus text on <c>/metrics</c> (<see cref="MetricsApi"/>); every <c>Provenance.*</c> activity source plus
/// ASP.NET Core and HttpClient spans. Traces and metrics go over OTLP when <c>OpenTelemetry:Otlp:Endpoint</c> or
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; without one no span is recorded at all (tracing costs nothing by default).
/// </summary>
internal static class Telemetry
{
    /// <summary>The activity sources and meters of the product's components (Provenance.Ingestion, Provenance.Storage, …).</summary>
    public const string ProductSources = "Provenance.*";

    public const string ServiceName = "provenance";

    /// <summary>Histogram buckets for durations in seconds (OpenTelemetry's defaults are sized for milliseconds).</summary>
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OtlpOptions>().Bind(configuration.GetSection(OtlpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var otlp = configuration.GetSection(OtlpOptions.Section).Get<OtlpOptions>() ?? new OtlpOptions();
        var exportOtlp = otlp.Endpoint is not null || !string.IsNullOrWhiteSpace(configuration[OtlpOptions.StandardEndpointKey]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ProductSources)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddView(instrument => IsProductDuration(instrument) ? new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets } : null)
                    .AddPrometheusExporter(prometheus =>
                    {
                        // Every scrape sees the values of that moment (the exporter caches a scrape for 300 ms by default).
                        prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                        // Series keep the labels they are recorded with (no otel_scope_* labels): our instrument names
                        // are unique across meters, and dashboards written for the earlier exporter keep working.
                        prometheus.ScopeInfoEnabled = false;
                    });
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter(exporter => Apply(exporter, otlp, "v1/metrics"));
                }
            });
        if (exportOtlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(ProductSources)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter => Apply(exporter, otlp, "v1/traces")));
        }

        return services;
    }

    private static bool IsProductDuration(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.Meter.Name.StartsWith("Provenance.", StringComparison.Ordinal) && instrument.Unit == "s"
        && instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);

    /// <summary>Scrapes and health probes arrive every few seconds and say nothing about a request's path through the system.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");

    /// <summary>Our settings win; what they leave unset the exporter takes from the OTEL_EXPORTER_OTLP_* variables.</summary>
    private static void Apply(OtlpExporterOptions exporter, OtlpOptions otlp, string signalPath)
    {
        if (otlp.Endpoint is not { } endpoint)
        {
            return;
        }

        exporter.Protocol = otlp.Protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        // An endpoint set in code is used as given: over HTTP/protobuf the signal's path is ours to add (the environment
        // variable gets it from the exporter).
        exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.Grpc ? endpoint : new Uri(new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/"), signalPath);
    }
}
