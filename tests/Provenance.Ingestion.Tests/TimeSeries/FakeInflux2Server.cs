using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Provenance.Ingestion.Tests.TimeSeries;

/// <summary>What the fake server answers: a status, an optional body and an optional Retry-After value.</summary>
public sealed record FakeAnswer(int Status, string? Body = null, string? RetryAfter = null);

/// <summary>One write the fake server received, with the lines of its (decompressed) body.</summary>
public sealed record ReceivedWrite(IReadOnlyList<string> Lines, TimeSpan ArrivedAt, FakeAnswer Answer);

/// <summary>
/// An InfluxDB 2 stand-in on Kestrel (127.0.0.1, port 0) that checks each request exactly as the
/// InfluxDB 2 API documents <c>POST /api/v2/write</c> and answers what <see cref="Respond"/> says
/// (204 by default). Requests that break the contract are answered 400 and recorded in
/// <see cref="Violations"/>, which every test asserts empty.
/// </summary>
public sealed partial class FakeInflux2Server : IAsyncDisposable
{
    public const string Org = "provenance org";
    public const string Bucket = "seals&fixes";
    public const string Token = "t0ken/with+symbols==";

    private readonly WebApplication app;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private FakeInflux2Server(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public Func<IReadOnlyList<string>, int, FakeAnswer> Respond { get; set; } = (_, _) => new FakeAnswer(204);

    public ConcurrentQueue<ReceivedWrite> Received { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public static async Task<FakeInflux2Server> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeInflux2Server(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var problems = new List<string>();
        Check(problems, request.Method == "POST", $"method {request.Method}");
        Check(problems, request.Path == "/api/v2/write", $"path {request.Path}");
        Check(problems, request.Query["org"] == Org, $"org '{request.Query["org"]}'");
        Check(problems, request.Query["bucket"] == Bucket, $"bucket '{request.Query["bucket"]}'");
        Check(problems, request.Query["precision"] == "ns", $"precision '{request.Query["precision"]}'");
        Check(problems, request.Headers.Authorization == $"Token {Token}", $"authorization '{request.Headers.Authorization}'");
        Check(problems, request.Headers.ContentType == "text/plain; charset=utf-8", $"content type '{request.Headers.ContentType}'");
        Check(problems, request.Headers.ContentEncoding == "gzip", $"content encoding '{request.Headers.ContentEncoding}'");

        string text;
        try
        {
            using var unzip = new GZipStream(request.Body, CompressionMode.Decompress);
            using var reader = new StreamReader(unzip, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync();
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            problems.Add($"body is not gzip-compressed UTF-8: {e.Message}");
            text = string.Empty;
        }

        // InfluxDB 2 reads lines separated by '\n'; a last line without one is accepted, so that is not checked.
        Check(problems, text.Length > 0, "empty body");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            Check(problems, LineShape().IsMatch(line), $"not line protocol: {line}");
        }

        var answer = problems.Count > 0
            ? new FakeAnswer(400, $$"""{"code":"invalid","message":"fake server: {{string.Join("; ", problems)}}"}""")
            : Respond(lines, Received.Count);
        foreach (var problem in problems)
        {
            Violations.Enqueue(problem);
        }

        Received.Enqueue(new ReceivedWrite(lines, clock.Elapsed, answer));
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.Body);
        }
    }

    private static void Check(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    // measurement[,tags] field=value[,field=value] timestamp — loose, but catches framing mistakes.
    [GeneratedRegex(@"^[^\s#,][^\s]*(?:\\ [^\s]*)* .*=.* -?\d{1,19}$")]
    private static partial Regex LineShape();
}
