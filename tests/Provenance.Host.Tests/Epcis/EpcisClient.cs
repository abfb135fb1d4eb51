using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Epcis;

/// <summary>The EPCIS interface of a node, called as a partner's system would, with the producer's key unless told otherwise.</summary>
internal sealed class EpcisClient(ProvenanceNode node, string producerKey)
{
    /// <summary>GET with a key; returns status and body.</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string path, string? key = null)
    {
        var response = await ApiCalls.SendAsync(node, HttpMethod.Get, path, key ?? producerKey);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>The events one query returns on its first page (perPage 1000), as JSON objects.</summary>
    public async Task<List<JsonObject>> EventsAsync(string query, string? key = null)
    {
        var (status, body, response) = await GetAsync($"/epcis/events?perPage=1000&{query}", key);
        response.Dispose();
        Assert.True(status == 200, $"{query}: {status} {body}");
        return [.. EpcisValidator.Events(JsonNode.Parse(body)!).Select(e => e!.AsObject())];
    }

    /// <summary>POSTs a document to /epcis/capture with a key.</summary>
    public async Task<(int Status, JsonNode? Body)> CaptureAsync(string document, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/epcis/capture") { Content = new StringContent(document, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Waits until a query finds at least <paramref name="count"/> events (seals reach the repository a moment after they are acknowledged).</summary>
    public async Task WaitForEventsAsync(string query, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await EventsAsync(query)).Count < count)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    public async Task<string> CreateDistributorAsync(string id)
    {
        var created = await ApiCalls.JsonAsync(node, HttpMethod.Post, "/api/distributors", producerKey, new { id, name = $"Distributor {id}", country = "CN", region = new { iso = new[] { "CN" } } });
        return created.GetProperty("apiKey").GetString()!;
    }
}
