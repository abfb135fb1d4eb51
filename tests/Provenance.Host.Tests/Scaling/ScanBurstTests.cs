using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Scaling;

/// <summary>
/// A burst of concurrent scans on PostgreSQL, as a load balancer sends them: every one is answered. (Reading a bottle's
/// facts as one multi-statement batch made Npgsql send it from a thread-pool task while the scan's thread blocked
/// reading; 64 concurrent scans took every pool thread and none was answered for the command timeout.)
/// </summary>
public sealed class ScanBurstTests(ITestOutputHelper output)
{
    private const int Clients = 64;
    private const int ScansEach = 10;

    [Fact]
    public async Task Sixty_four_concurrent_clients_scanning_on_postgres_are_all_answered()
    {
        var server = await PostgresServer.Shared;
        await using var node = new ProvenanceNode
        {
            Environment = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "postgres",
                ["ConnectionStrings__Provenance"] = await server.CreateDatabaseAsync("burst"),
            },
        };
        await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(200);
        await node.StartAsync("--HttpLimits:MaxConnectionsPerClient=256"); // one test client stands for many consumers

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = node.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var watch = Stopwatch.StartNew();
        var verdicts = await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var answered = new List<string>();
            for (var i = 0; i < ScansEach; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(urls[((client * ScansEach) + i) % urls.Count]).PathAndQuery);
                request.Headers.Accept.ParseAdd("application/json");
                using var response = await http.SendAsync(request);
                answered.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString()!);
            }

            return answered;
        })));
        output.WriteLine($"{Clients * ScansEach} scans from {Clients} concurrent clients answered in {watch.ElapsedMilliseconds} ms");

        Assert.All(verdicts.SelectMany(v => v), v => Assert.Equal("not_sealed", v));
        Assert.Equal(Clients * ScansEach, verdicts.Sum(v => v.Count));
    }
}
