using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>Builds the InfluxDB 1.x <c>/write</c> request from <see cref="InfluxOptions"/>. Thread-safe after construction.</summary>
internal sealed class InfluxRequestBuilder
{
    private static readonly MediaTypeHeaderValue PlainUtf8 = MediaTypeHeaderValue.Parse("text/plain; charset=utf-8");
    private readonly Uri writeUri;
    private readonly AuthenticationHeaderValue? authorization;
    private readonly bool gzip;

    public InfluxRequestBuilder(InfluxOptions options)
    {
        var baseUri = options.Url!.AbsoluteUri.EndsWith('/') ? options.Url : new Uri(options.Url.AbsoluteUri + "/");
        var retention = string.IsNullOrEmpty(options.RetentionPolicy) ? string.Empty : $"&rp={Escape(options.RetentionPolicy)}";
        writeUri = new Uri(baseUri, $"write?db={Escape(options.Database)}{retention}&precision=ns");
        if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        Target = $"{baseUri.Authority} database '{options.Database}'";
        gzip = options.Gzip;
    }

    /// <summary>Where the points go, for log messages (never contains credentials).</summary>
    public string Target { get; }

    /// <summary>A POST of the given lines, each followed by a newline, gzip-compressed when configured.</summary>
    public HttpRequestMessage Create(IReadOnlyList<string> lines, IReadOnlyList<int> positions)
    {
        var text = new StringBuilder();
        foreach (var position in positions)
        {
            text.Append(lines[position]).Append('\n');
        }

        var body = Encoding.UTF8.GetBytes(text.ToString());
        ByteArrayContent content;
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(body);
            }

            content = new ByteArrayContent(compressed.ToArray());
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ByteArrayContent(body);
        }

        content.Headers.ContentType = PlainUtf8;
        var request = new HttpRequestMessage(HttpMethod.Post, writeUri) { Content = content };
        request.Headers.Authorization = authorization;
        return request;
    }

    private static string Escape(string? value) => Uri.EscapeDataString(value ?? string.Empty);
}
