using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Geo;
using Provenance.Core.Qr;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Storage;

namespace Provenance.Api.Producer;

/// <summary>
/// The producer's set-up over HTTP, the same operations as the CLI: products, sites, gateways, batches, and label
/// export streamed as it is generated (CSV for variable-data printers; a ZIP of PNG and SVG QR images).
/// </summary>
public static class ProducerApi
{
    public const int MaxBatch = 1_000_000;

    public static IEndpointRouteBuilder MapProducerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Producer").RequireAuthorization(ApiPolicies.Producer);
        api.MapPost("/products", AddProduct).WithName("AddProduct").WithSummary("Register a product (GTIN, name, brand).");
        api.MapPost("/sites", AddSite).WithName("AddSite").WithSummary("Register a site with a circular (radiusM) or polygon geofence.");
        api.MapPost("/gateways", AddGateway).WithName("AddGateway").WithSummary("Register a line gateway (site, P-256 public key PEM); returns its MQTT credentials once, and with auth: \"sas\" also its Azure IoT Hub device key (deviceKey) for SDK-built gateways.");
        api.MapPost("/batches", Issue).WithName("IssueBatch").WithSummary("Issue a batch of tags (random serials, MAC-signed Digital Link URLs).");
        api.MapGet("/batches/{id:long}/labels.csv", Csv).WithName("BatchLabelsCsv").WithSummary("The batch's labels as a printer CSV (header row, url column), streamed.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status404NotFound);
        api.MapGet("/batches/{id:long}/labels.zip", Zip).WithName("BatchLabelsZip").WithSummary("The batch's labels as a ZIP of PNG and SVG QR images, streamed.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip").Produces(StatusCodes.Status404NotFound);
        api.MapGet("/batches/{id:long}/inner-labels.csv", InnerCsv).WithName("BatchInnerLabelsCsv")
            .WithSummary("The batch's secret inner (under-cap) codes as a printer CSV for the under-cap printer, same columns and order as labels.csv, streamed.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status404NotFound);
        api.MapGet("/batches/{id:long}/inner-labels.zip", InnerZip).WithName("BatchInnerLabelsZip")
            .WithSummary("The batch's secret inner (under-cap) codes as a ZIP of PNG and SVG QR images, streamed.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip").Produces(StatusCodes.Status404NotFound);
        return app;
    }

    private static Results<Created<ProductBody>, ProblemHttpResult> AddProduct(ProductBody body, RegistryStore registry)
    {
        if (!Gtin.TryParse(body.Gtin, out var gtin, out var error) || string.IsNullOrWhiteSpace(body.Name) || string.IsNullOrWhiteSpace(body.Brand))
        {
            return TypedResults.Problem(error ?? "name and brand are required", statusCode: StatusCodes.Status400BadRequest);
        }

        return Conflicts<Created<ProductBody>>(() => registry.AddProduct(new Product(gtin.Value, body.Name, body.Brand)))
            ?? (Results<Created<ProductBody>, ProblemHttpResult>)TypedResults.Created($"/api/products/{gtin.Value}", body with { Gtin = gtin.Value });
    }

    private static Results<Created<SiteBody>, ProblemHttpResult> AddSite(SiteBody body, RegistryStore registry)
    {
        if (!Identifier.IsValid(body.Id) || string.IsNullOrWhiteSpace(body.Name) || body.Lat is < -90 or > 90 || body.Lon is < -180 or > 180)
        {
            return TypedResults.Problem("id (a-z, 0-9, '-', '_'), name, lat (-90..90) and lon (-180..180) are required", statusCode: StatusCodes.Status400BadRequest);
        }

        if ((body.RadiusM is null or <= 0) == (body.Polygon is not { Count: >= 3 }))
        {
            return TypedResults.Problem("give either radiusM (> 0) or a polygon of at least 3 [lat, lon] points", statusCode: StatusCodes.Status400BadRequest);
        }

        if (body.Polygon is { } points && points.Any(p => p is not { Length: 2 }))
        {
            return TypedResults.Problem("each polygon point is [lat, lon]", statusCode: StatusCodes.Status400BadRequest);
        }

        Site site;
        try
        {
            site = new Site(body.Id, body.Name, new GeoPoint(body.Lat, body.Lon), body.RadiusM, body.Polygon?.Select(p => new GeoPoint(p[0], p[1])).ToList());
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem($"geofence: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        return Conflicts<Created<SiteBody>>(() => registry.AddSite(site))
            ?? (Results<Created<SiteBody>, ProblemHttpResult>)TypedResults.Created($"/api/sites/{body.Id}", body);
    }

    private static Results<Created<GatewayCredentialsBody>, ProblemHttpResult> AddGateway(GatewayBody body, RegistryStore registry, DeviceKeyStore deviceKeys, DeviceCertificateStore deviceCertificates)
    {
        if (!Identifier.IsValid(body.Id))
        {
            return TypedResults.Problem("id must be 1-64 characters a-z, 0-9, '-', '_'", statusCode: StatusCodes.Status400BadRequest);
        }

        if (body.Auth is not (null or "secret" or "sas" or "x509"))
        {
            return TypedResults.Problem("auth must be 'secret' (MQTT secret only, the default), 'sas' (also an Azure IoT Hub device key) or 'x509' (also IoT Hub's X.509 login)", statusCode: StatusCodes.Status400BadRequest);
        }

        string? thumbprint = null;
        if (body.Thumbprint is not null)
        {
            if (body.Auth != "x509")
            {
                return TypedResults.Problem("thumbprint goes with auth 'x509'", statusCode: StatusCodes.Status400BadRequest);
            }

            try
            {
                thumbprint = DeviceCertificateStore.NormalizeThumbprint(body.Thumbprint);
            }
            catch (ArgumentException e)
            {
                return TypedResults.Problem($"thumbprint: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        string pem, fingerprint;
        try
        {
            using var key = GatewayKeys.ImportPublicKeyPem(body.PublicKeyPem ?? string.Empty);
            (pem, fingerprint) = (GatewayKeys.ExportPublicKeyPem(key), GatewayKeys.Fingerprint(key));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem($"publicKeyPem: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var secret = registry.AddGateway(body.Id, body.SiteId ?? string.Empty, pem, fingerprint);
            var deviceKey = body.Auth == "sas" ? deviceKeys.Issue(body.Id) : null;
            if (body.Auth == "x509")
            {
                deviceCertificates.Register(body.Id, thumbprint);
            }

            return TypedResults.Created($"/api/gateways/{body.Id}", new GatewayCredentialsBody(body.Id, body.Id, body.Id, secret, fingerprint, deviceKey));
        }
        catch (RegistryConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<Results<Created<BatchBody>, ProblemHttpResult>> Issue(BatchRequest body, TagIssuer issuer, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (body.Count is <= 0 or > MaxBatch)
        {
            return TypedResults.Problem($"count must be 1..{MaxBatch}", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var batch = await issuer.IssueAsync(new TagIssueRequest(body.Gtin ?? string.Empty, body.Lot, body.Count, Domain(configuration), Scheme(configuration)), cancellationToken: cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/batches/{batch.BatchId}", new BatchBody(batch.BatchId, batch.Gtin, batch.Lot, batch.Count,
                $"/api/batches/{batch.BatchId}/labels.csv", $"/api/batches/{batch.BatchId}/labels.zip"));
        }
        catch (Exception e) when (e is RegistryConflictException or ArgumentException or FormatException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static Task Csv(long id, HttpContext context, TagStore tags, CodeAuthenticator codes, IConfiguration configuration) =>
        CsvAsync(id, context, tags, codes.Sign, configuration, $"batch-{id}.csv");

    private static Task InnerCsv(long id, HttpContext context, TagStore tags, InnerCodeAuthenticator codes, IConfiguration configuration) =>
        CsvAsync(id, context, tags, codes.Sign, configuration, $"batch-{id}-inner.csv");

    private static Task Zip(long id, HttpContext context, TagStore tags, CodeAuthenticator codes, IConfiguration configuration, int? moduleSize) =>
        ZipAsync(id, context, tags, codes.Sign, configuration, moduleSize, $"batch-{id}-labels.zip");

    private static Task InnerZip(long id, HttpContext context, TagStore tags, InnerCodeAuthenticator codes, IConfiguration configuration, int? moduleSize) =>
        ZipAsync(id, context, tags, codes.Sign, configuration, moduleSize, $"batch-{id}-inner-labels.zip");

    private static async Task CsvAsync(long id, HttpContext context, TagStore tags, Func<DigitalLink, string> sign, IConfiguration configuration, string fileName)
    {
        if (tags.FindBatch(id) is not { } batch)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 1 << 16);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteLineAsync(PrinterCsv.Header).ConfigureAwait(false);
            var gtin = Gtin.Parse(batch.Gtin);
            foreach (var serial in tags.EnumerateBatch(id))
            {
                var url = sign(DigitalLink.ForTag(Domain(configuration), gtin, serial, batch.Lot, Scheme(configuration)));
                await writer.WriteLineAsync(PrinterCsv.Row(url, batch.Gtin, serial, batch.Lot)).ConfigureAwait(false);
            }
        }
    }

    private static async Task ZipAsync(long id, HttpContext context, TagStore tags, Func<DigitalLink, string> sign, IConfiguration configuration, int? moduleSize, string fileName)
    {
        if (tags.FindBatch(id) is not { } batch)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var options = new QrOptions(Math.Clamp(moduleSize ?? 8, 1, 40));
        var gtin = Gtin.Parse(batch.Gtin);

        // ZipArchive writes synchronously; let it, for this streamed download only.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        using var zip = new ZipArchive(context.Response.Body, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var serial in tags.EnumerateBatch(id))
        {
            var url = sign(DigitalLink.ForTag(Domain(configuration), gtin, serial, batch.Lot, Scheme(configuration)));
            var (pngBytes, svgText) = QrRenderer.Render(url, options);
            await using (var png = zip.CreateEntry($"{batch.Gtin}-{serial}.png", CompressionLevel.NoCompression).Open())
            {
                png.Write(pngBytes);
            }

            await using var svg = zip.CreateEntry($"{batch.Gtin}-{serial}.svg", CompressionLevel.Fastest).Open();
            svg.Write(Encoding.UTF8.GetBytes(svgText));
        }
    }

    private static Results<T, ProblemHttpResult>? Conflicts<T>(Action action)
        where T : IResult
    {
        try
        {
            action();
            return null;
        }
        catch (RegistryConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static string Domain(IConfiguration configuration) => configuration["Codes:Domain"] is { Length: > 0 } d ? d : "id.example.com";

    private static string Scheme(IConfiguration configuration) => configuration["Codes:Scheme"] is { Length: > 0 } s ? s : "https";
}
