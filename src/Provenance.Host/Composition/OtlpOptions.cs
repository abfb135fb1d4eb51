using System.ComponentModel.DataAnnotations;

namespace Provenance.Host.Composition;

/// <summary>
/// <c>OpenTelemetry:Otlp</c>: where traces and metrics go over OTLP. Off unless an endpoint is set, here or in the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable (which the exporter also reads with the other
/// <c>OTEL_EXPORTER_OTLP_*</c> variables: protocol, headers, timeout).
/// </summary>
public sealed class OtlpOptions : IValidatableObject
{
    public const string Section = "OpenTelemetry:Otlp";

    /// <summary>The standard variable (or configuration key) the OTLP exporter reads on its own.</summary>
    public const string StandardEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The collector, e.g. <c>http://127.0.0.1:4317</c> (gRPC) or <c>http://127.0.0.1:4318</c> (HTTP/protobuf).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"OpenTelemetry:Otlp:Endpoint must be an absolute http:// or https:// address of an OTLP collector, got '{endpoint}'", [nameof(Endpoint)]);
        }

        if (Protocol is not ("grpc" or "http/protobuf"))
        {
            yield return new ValidationResult($"OpenTelemetry:Otlp:Protocol must be grpc or http/protobuf, got '{Protocol}'", [nameof(Protocol)]);
        }
    }
}
