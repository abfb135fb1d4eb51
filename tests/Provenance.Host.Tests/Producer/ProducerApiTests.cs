using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Producer;

/// <summary>The producer's set-up over HTTP: products, sites, gateways, batches and streamed label exports.</summary>
public sealed class ProducerApiTests
{
    [Fact]
    public async Task A_producer_sets_up_over_http_and_exports_100000_labels_as_csv_and_qr_images_as_zip()
    {
        await using var node = new ProvenanceNode();
        var producer = Key(await node.CliAsync("keys", "create", "--role", "producer"));
        var keysDir = Path.Combine(node.WorkDirectory, "keys");
        await node.RunCliAsync("gateways", "keygen", "--id", "gw-http", "--out", keysDir);
        await node.StartAsync();
        using var http = new HttpClient { BaseAddress = node.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", producer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Http.PostAsJsonAsync("/api/products", new { gtin = ProvenanceNode.Gtin, name = "x", brand = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/products", new { gtin = "9506000134352", name = "Baijiu", brand = "Example" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync("/api/products", new { gtin = ProvenanceNode.Gtin, name = "Baijiu", brand = "Example" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/products", new { gtin = "09506000134353", name = "x", brand = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/sites", new { id = "plant-http", name = "Plant", lat = 27.86, lon = 106.37, radiusM = 300 })).StatusCode);
        var gatewayResponse = await http.PostAsJsonAsync("/api/gateways", new { id = "gw-http", siteId = "plant-http", publicKeyPem = File.ReadAllText(Path.Combine(keysDir, "gw-http.pub.pem")) });
        Assert.Equal(HttpStatusCode.Created, gatewayResponse.StatusCode);
        Assert.True((await gatewayResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("password").GetString()!.Length >= 24);
        await node.RunCliAsync("gateways", "keygen", "--id", "gw-x509", "--out", keysDir);
        object X509Gateway(string? auth, string thumbprint) => new { id = "gw-x509", siteId = "plant-http", publicKeyPem = File.ReadAllText(Path.Combine(keysDir, "gw-x509.pub.pem")), auth, thumbprint };
        var shortThumbprint = await http.PostAsJsonAsync("/api/gateways", X509Gateway("x509", "AB:CD"));
        Assert.Equal(HttpStatusCode.BadRequest, shortThumbprint.StatusCode);
        Assert.Contains("SHA-256", await shortThumbprint.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/gateways", X509Gateway("sas", new string('a', 64)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/gateways", X509Gateway("x509", new string('a', 64)))).StatusCode);

        var big = await (await http.PostAsJsonAsync("/api/batches", new { gtin = ProvenanceNode.Gtin, lot = "H1", count = 100_000 })).Content.ReadFromJsonAsync<JsonElement>();
        await using (var csv = await http.GetStreamAsync(big.GetProperty("csv").GetString()))
        using (var reader = new StreamReader(csv))
        {
            Assert.Equal("url,gtin,serial,lot", await reader.ReadLineAsync());
            var first = (await reader.ReadLineAsync())!.Split(',')[0];
            var rows = 1;
            while (await reader.ReadLineAsync() is not null)
            {
                rows++;
            }

            Assert.Equal(100_000, rows);
            Assert.Equal("not_sealed", (await node.ScanAsync(first.Replace("https://id.example.com", $"http://{node.Authority}", StringComparison.Ordinal))).GetProperty("verdict").GetString());
        }

        var small = await (await http.PostAsJsonAsync("/api/batches", new { gtin = ProvenanceNode.Gtin, lot = "H2", count = 3 })).Content.ReadFromJsonAsync<JsonElement>();
        var urls = (await http.GetStringAsync(small.GetProperty("csv").GetString())).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).ToList();
        using var zip = new ZipArchive(new MemoryStream(await http.GetByteArrayAsync(small.GetProperty("zip").GetString())));
        Assert.Equal(3, zip.Entries.Count(e => e.Name.EndsWith(".png", StringComparison.Ordinal)));
        Assert.Equal(3, zip.Entries.Count(e => e.Name.EndsWith(".svg", StringComparison.Ordinal)));
        var png = Path.Combine(node.WorkDirectory, "label.png");
        zip.Entries.First(e => e.Name.EndsWith(".png", StringComparison.Ordinal)).ExtractToFile(png);
        Assert.Contains(await DecodeAsync(png), urls);
    }

    [Fact]
    public async Task A_distributor_key_cannot_use_producer_endpoints()
    {
        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        var producer = Key(await node.CliAsync("keys", "create", "--role", "producer"));
        await node.StartAsync();
        using var http = new HttpClient { BaseAddress = node.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", producer);
        var distributor = await (await http.PostAsJsonAsync("/api/distributors", new { id = "dist-a", name = "A", region = new { polygons = new[] { new[] { new[] { 26.0, 106.0 }, new[] { 26.0, 107.0 }, new[] { 27.0, 107.0 } } } } })).Content.ReadFromJsonAsync<JsonElement>();
        using var other = new HttpClient { BaseAddress = node.Http.BaseAddress };
        other.DefaultRequestHeaders.Add("X-Api-Key", distributor.GetProperty("apiKey").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/batches", new { gtin = ProvenanceNode.Gtin, count = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/sites", new { id = "x", name = "x", lat = 1, lon = 1, radiusM = 1 })).StatusCode);
    }

    private static string Key(string output) =>
        output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("key:", StringComparison.Ordinal))["key:".Length..].Trim();

    private static async Task<string> DecodeAsync(string png)
    {
        using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", png]) { RedirectStandardOutput = true })!;
        var text = await zbar.StandardOutput.ReadToEndAsync();
        await zbar.WaitForExitAsync();
        return text.TrimEnd('\n');
    }
}
