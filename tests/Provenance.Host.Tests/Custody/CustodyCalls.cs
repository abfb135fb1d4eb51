using System.Net;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Custody;

/// <summary>The dealer calls the custody tests make over HTTP: dealers, cases, scans, alerts.</summary>
internal sealed class CustodyCalls(CustodyNodeFixture f)
{
    public const double GuangzhouLat = 23.13, GuangzhouLon = 113.26, ChengduLat = 30.66, ChengduLon = 104.07, BeijingLat = 39.90, BeijingLon = 116.40;

    public static readonly object Guangdong = Polygon(20.2, 109.6, 25.5, 117.3);
    public static readonly object Guangzhou = Polygon(22.5, 112.9, 23.9, 114.1);
    public static readonly object Sichuan = Polygon(26.0, 97.3, 34.3, 108.5);
    public static readonly object Chengdu = Polygon(30.1, 103.0, 31.4, 104.9);

    private static int _sscc;

    public async Task<string> DistributorAsync(string id, object region)
    {
        var created = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id, name = id, country = "CN", region });
        return created.GetProperty("apiKey").GetString()!;
    }

    /// <summary>Creates a dealer under <paramref name="parent"/> with <paramref name="creatorKey"/>; returns its key.</summary>
    public async Task<string> DealerAsync(string creatorKey, string id, string parent, string level, object region)
    {
        var created = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/dealers", creatorKey, new { id, name = id, parentId = parent, level, region });
        Assert.Equal(level, created.GetProperty("dealer").GetProperty("level").GetString());
        return created.GetProperty("apiKey").GetString()!;
    }

    /// <summary>Packs the bottles into a new case (a fresh SSCC) and returns its Digital Link URI.</summary>
    public async Task<string> CaseAsync(params string[] bottles)
    {
        var digits = "09506000" + (200000000 + Interlocked.Increment(ref _sscc)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var uri = new Uri(bottles[0]).GetLeftPart(UriPartial.Authority) + $"/00/{digits}{CheckDigit.Compute(digits)}";
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/cases", f.ProducerKey, new { code = uri, tags = bottles });
        return uri;
    }

    public Task<JsonElement> ShipAsync(string distributorId, string? bottle = null, string? caseUri = null) =>
        ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey,
            new { distributorId, tags = bottle is null ? null : new[] { bottle }, cases = caseUri is null ? null : new[] { caseUri } });

    public async Task<JsonElement> ScanInAsync(string key, double lat, double lon, params string[] codes) =>
        await ScanAsync("scan-in", key, lat, lon, new { codes });

    public async Task<JsonElement> ScanOutAsync(string key, string to, double lat, double lon, params string[] codes) =>
        await ScanAsync("scan-out", key, lat, lon, new { codes, to });

    public async Task<List<JsonElement>> AlertsAsync(string key, string? kind = null) =>
        [.. (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/alerts?limit=1000{(kind is null ? string.Empty : "&kind=" + kind)}", key)).GetProperty("items").EnumerateArray()];

    /// <summary>Waits for an alert in <paramref name="key"/>'s feed (alerts are stored on the request path; this covers other writers).</summary>
    public async Task<JsonElement> WaitForAlertAsync(string key, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if ((await AlertsAsync(key)).FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>
    /// Raises a sentinel alert (a receipt with a forged code, by <paramref name="distributorKey"/>) and waits until the
    /// webhook has it: the dispatcher delivers in feed order, so every alert raised before it has been delivered too.
    /// </summary>
    public async Task FlushWebhookAsync(string distributorKey, string someBottle)
    {
        var forged = ForgedCode.WithAlteredMac(someBottle);
        using var receipt = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/receipts", distributorKey, content: new StringContent(forged));
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        await f.Webhook.WaitForAsync(a => a.GetProperty("kind").GetString() == "receipt_mismatch"
            && a.GetProperty("detail").TryGetProperty("codes", out var codes) && codes.EnumerateArray().Any(c => c.GetString() == forged));
    }

    public static string Serial(string url) => DigitalLink.Parse(url).Serial!;

    public static string TagPath(string url, string leaf)
    {
        var link = DigitalLink.Parse(url);
        return $"/api/tags/{link.Gtin!.Value.Value}/{link.Serial}/{leaf}";
    }

    public static string[] Kinds(JsonElement evidence) => [.. evidence.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!)];

    private async Task<JsonElement> ScanAsync(string verb, string key, double lat, double lon, object body)
    {
        using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, FormattableString.Invariant($"/api/custody/{verb}?lat={lat}&lon={lon}"), key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{verb}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static object Polygon(double south, double west, double north, double east) =>
        new { polygons = new[] { new[] { new[] { south, west }, new[] { south, east }, new[] { north, east }, new[] { north, west } } } };
}
