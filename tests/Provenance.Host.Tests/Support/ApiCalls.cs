using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Provenance.Host.Tests.Support;

/// <summary>Authenticated calls to a node's HTTP API, and scans with a chosen client address and browser location.</summary>
internal static class ApiCalls
{
    public static async Task<string> CreateKeyAsync(ProvenanceNode node, string role)
    {
        var output = await node.CliAsync("keys", "create", "--role", role);
        return output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("key:", StringComparison.Ordinal))["key:".Length..].Trim();
    }

    public static async Task<HttpResponseMessage> SendAsync(ProvenanceNode node, HttpMethod method, string path, string? key, object? body = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content ?? (body is null ? null : JsonContent.Create(body)) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await node.Http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(ProvenanceNode node, HttpMethod method, string path, string key, object? body = null)
    {
        using var response = await SendAsync(node, method, path, key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Scans <paramref name="url"/> as client <paramref name="client"/> (X-Forwarded-For), optionally with a browser location.</summary>
    public static async Task<JsonElement> ScanAsync(ProvenanceNode node, string url, string client = "198.51.100.1", double? lat = null, double? lon = null, double acc = 20)
    {
        var pathAndQuery = new Uri(url).PathAndQuery;
        if (lat is not null)
        {
            pathAndQuery += FormattableString.Invariant($"&lat={lat}&lon={lon}&acc={acc}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await node.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits until the node has recorded <paramref name="count"/> scans of the tag (scans are recorded off the request path).</summary>
    public static async Task WaitForScansAsync(ProvenanceNode node, string producerKey, string url, int count)
    {
        var segments = new Uri(url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = $"/api/tags/{segments[1]}/{segments[^1]}/scans";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await JsonAsync(node, HttpMethod.Get, path, producerKey)).GetArrayLength() < count)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public static string[] Reasons(JsonElement scan) => [.. scan.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];
}
