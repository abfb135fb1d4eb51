using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Boundary;

/// <summary>
/// The bad-input corpus (<see cref="BadInputCorpus"/>) against every mapped route, as an admin (whose requests reach
/// every handler), as a distributor and anonymously: no 5xx, every refusal of an API route is problem details, nothing
/// is logged as an error, the node still answers, and what it held before is still there.
/// </summary>
[Collection(BoundaryCollection.Name)]
public sealed class BadInputCorpusTests(BoundaryNode f, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_route_refuses_malformed_input_with_a_4xx_problem_and_loses_nothing_it_held()
    {
        var before = await SnapshotAsync();
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var sent = 0;
        var limited = new List<string>();
        var seed = 7;
        foreach (var endpoint in f.Node.Endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                var paths = BadInputCorpus.Paths(endpoint.RoutePattern).ToList();
                var requests = new List<(HttpClient Caller, string Who, HttpMethod Method, string Path, string? ContentType, byte[]? Body)>();
                foreach (var path in paths)
                {
                    foreach (var query in BadInputCorpus.Queries())
                    {
                        requests.Add((f.Admin, "admin", new HttpMethod(method), path + query, null, null));
                    }
                }

                // Bodies matter where handlers read them (POST); elsewhere a few show they are never read.
                foreach (var (contentType, body) in BadInputCorpus.Bodies(seed++, full: method == "POST"))
                {
                    requests.Add((f.Admin, "admin", new HttpMethod(method), paths[0], contentType, body));
                }

                foreach (var (contentType, body) in BadInputCorpus.Bodies(seed++, full: false))
                {
                    requests.Add((f.Callers[MatrixRole.DistributorA], "distributor", new HttpMethod(method), paths[^1], contentType, body));
                    requests.Add((f.Node.Http, "anonymous", new HttpMethod(method), paths[0], contentType, body));
                }

                foreach (var r in requests)
                {
                    using var request = new HttpRequestMessage(r.Method, r.Path);
                    if (r.Body is not null)
                    {
                        request.Content = new ByteArrayContent(r.Body);
                        if (r.ContentType is not null)
                        {
                            request.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
                        }
                    }

                    using var response = await r.Caller.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status == 429 && limited.Count < 5)
                    {
                        limited.Add($"{r.Who} {r.Method} {Short(r.Path)}");
                    }

                    if (status >= 500)
                    {
                        failures.Add($"{r.Who} {r.Method} {Short(r.Path)} [{r.ContentType}] {Short(System.Text.Encoding.UTF8.GetString(r.Body ?? []))}: {status} {Short(await response.Content.ReadAsStringAsync())}");
                    }
                    else if (status >= 400 && IsApi(r.Path) && response.Content.Headers.ContentLength != 0 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{r.Who} {r.Method} {Short(r.Path)}: {status} answered as {response.Content.Headers.ContentType}, not problem details");
                    }
                }
            }
        }

        output.WriteLine("429 for: " + string.Join("; ", limited));
        output.WriteLine($"{sent} requests over {f.Node.Endpoints.Count} endpoints; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent}:\n" + string.Join('\n', failures.Take(60)));
        Assert.Empty(f.Node.Errors);
        Assert.Equal(HttpStatusCode.OK, (await f.Node.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>What the node held before the corpus: distributor A, the shipment to it, the keys, and the first tags' verdicts.</summary>
    private async Task<string> SnapshotAsync()
    {
        var distributor = await f.Admin.GetStringAsync($"/api/distributors/{BoundaryNode.DistributorA}");
        var shipment = await f.Admin.GetStringAsync($"/api/shipments/{f.ShipmentToA}");
        var keys = JsonDocument.Parse(await f.Admin.GetStringAsync("/api/keys/")).RootElement.EnumerateArray()
            .Where(k => f.KeyIds.Values.Contains(k.GetProperty("id").GetString())).Select(k => k.GetRawText());
        using var scan = new HttpRequestMessage(HttpMethod.Get, RouteRoleMatrix.ScanPath(f.Tags[5]));
        scan.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var verdict = JsonDocument.Parse(await (await f.Node.Http.SendAsync(scan)).Content.ReadAsStringAsync()).RootElement.GetProperty("verdict").GetString();
        return string.Join('\n', distributor, shipment, string.Join('\n', keys), verdict);
    }

    private static bool IsApi(string path) =>
        path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal) || path.StartsWith("/metrics", StringComparison.Ordinal);

    private static string Short(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
