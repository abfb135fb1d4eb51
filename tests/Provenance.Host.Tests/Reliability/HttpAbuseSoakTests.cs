using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Reliability;

/// <summary>
/// A bounded abuse soak of the HTTP port: <c>serve</c> with its open-file limit lowered to 1,024, while a connection
/// flood from 20 addresses, a per-code scan flood (three hammering clients and ten spread ones), and malformed bodies
/// run for 75 seconds, a consumer keeps scanning on its own connection. The node must not crash, the consumer must get
/// every answer, memory must stay bounded, and the limits must be seen to act (their metrics). Figures are printed.
/// </summary>
public sealed class HttpAbuseSoakTests(ITestOutputHelper output)
{
    private const int FileLimit = 1024;
    private const long RssBoundBytes = 600L * 1024 * 1024;
    private static readonly TimeSpan Attack = TimeSpan.FromSeconds(75);

    [Fact]
    public async Task With_a_lowered_file_limit_floods_of_connections_scans_and_bad_bodies_neither_crash_the_node_nor_starve_a_consumer()
    {
        await using var node = new ProvenanceNode { FileLimit = FileLimit };
        await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(41);
        var producerKey = await ApiCalls.CreateKeyAsync(node, "producer");
        await node.StartAsync(
            "--Api:PublicScansPerMinute=120", "--Api:ScansPerCodePerMinute=30", "--Api:ScansPerCodePerClientPerMinute=12", "--Api:ApiRequestsPerMinute=600",
            "--Api:SignInAttemptsPerMinute=10", "--HttpLimits:KeepAliveTimeout=00:00:05", "--HttpLimits:RequestHeadersTimeout=00:00:05",
            "--Logging:LogLevel:Default=Warning");
        var flooded = new Uri(urls[0]).PathAndQuery;
        var probe = new ProcessProbe(node.Host!.Id);
        using var consumer = LoopbackClient.Create("127.0.0.3", node.Http.BaseAddress!);
        consumer.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync(new Uri(urls[1]).PathAndQuery)).StatusCode);

        using var stop = new CancellationTokenSource();
        var serverErrors = new ConcurrentBag<string>();
        var counts = new ConcurrentDictionary<string, long>();
        var monitor = probe.RunAsync(stop.Token);
        var attacks = new List<Task>
        {
            ConnectionFloodAsync(node.HttpPort, counts, stop.Token),
            CodeFloodAsync(node, flooded, counts, serverErrors, stop.Token),
            BadBodiesAsync(node, producerKey, counts, serverErrors, stop.Token),
        };
        var (latencies, failures, verdicts) = await ConsumeAsync(consumer, urls, Attack, node);
        await stop.CancelAsync();
        await Task.WhenAll(attacks);
        await monitor;

        var metrics = await node.Management.GetStringAsync("/metrics");
        var sorted = latencies.Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"consumer: {sorted.Count} scans answered, {failures.Count} failed; p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"serve: RSS {probe.StartRssBytes / 1048576} MiB at start, peak {probe.PeakRssBytes / 1048576} MiB (bound {RssBoundBytes / 1048576}); open files peak {probe.PeakOpenFiles} of {FileLimit}"));
        output.WriteLine("attack: " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("provenance_http_", StringComparison.Ordinal) || l.StartsWith("provenance_scans_cached", StringComparison.Ordinal))));

        Assert.False(node.Host.HasExited, node.Host.Output);
        Assert.True(failures.IsEmpty, string.Join('\n', failures.Take(20)));
        Assert.True(sorted.Count >= 60, $"only {sorted.Count} consumer scans in {Attack}");
        Assert.All(verdicts, v => Assert.Equal("not_sealed", v));
        Assert.True(serverErrors.IsEmpty, string.Join('\n', serverErrors.Take(20)));
        Assert.InRange(probe.PeakRssBytes, 1, RssBoundBytes);
        Assert.InRange(probe.PeakOpenFiles, 1, FileLimit - 1);
        Assert.Matches(@"provenance_http_connections_refused_total\{limit=""(total|per_client)""\} [1-9]", metrics);
        Assert.Matches(@"provenance_http_requests_limited_total\{limit=""scan""\} [1-9]", metrics);
        Assert.Matches(@"provenance_scans_cached_total(\{\})? [1-9]", metrics);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/health/live")).StatusCode);
    }

    /// <summary>The consumer: one connection, about 1.5 scans a second over 40 codes, now and then the flooded one.</summary>
    private static async Task<(List<double> Latencies, ConcurrentBag<string> Failures, List<string> Verdicts)> ConsumeAsync(HttpClient consumer, IReadOnlyList<string> urls, TimeSpan duration, ProvenanceNode node)
    {
        var latencies = new List<double>();
        var failures = new ConcurrentBag<string>();
        var verdicts = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var code = i % 20 == 0 ? urls[0] : urls[1 + (i % 40)];
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await consumer.GetAsync(new Uri(code).PathAndQuery);
                var body = await response.Content.ReadAsStringAsync();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode} {body}");
                }
                else if (code != urls[0])
                {
                    verdicts.Add(JsonDocument.Parse(body).RootElement.GetProperty("verdict").GetString()!);
                }
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
            {
                failures.Add($"{e.GetType().Name}: {e.Message} (serve exited: {node.Host!.HasExited})");
            }

            await Task.Delay(600);
        }

        return (latencies, failures, verdicts);
    }

    /// <summary>Idle connections from 20 addresses, 40 each, re-opened whenever the server closes one (refused or timed out).</summary>
    private static Task ConnectionFloodAsync(int port, ConcurrentDictionary<string, long> counts, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(1, 20).SelectMany(a => Enumerable.Range(0, 40).Select(_ => HoldAsync($"127.0.1.{a}", port, counts, stop))));

    private static async Task HoldAsync(string from, int port, ConcurrentDictionary<string, long> counts, CancellationToken stop)
    {
        var buffer = new byte[1];
        while (!stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var opened = Stopwatch.GetTimestamp();
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), stop);
                counts.AddOrUpdate("connections opened", 1, (_, n) => n + 1);
                await socket.ReceiveAsync(buffer, SocketFlags.None, stop); // returns when the server closes it
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                counts.AddOrUpdate("connections failed", 1, (_, n) => n + 1);
            }

            // Closed at once (refused): back off a little, as a flooding script would, so the test machine keeps its cores.
            if (Stopwatch.GetElapsedTime(opened) < TimeSpan.FromMilliseconds(200))
            {
                await Task.Delay(1000, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One bottle's code scanned flat out by three clients, and steadily by ten others.</summary>
    private static Task CodeFloodAsync(ProvenanceNode node, string path, ConcurrentDictionary<string, long> counts, ConcurrentBag<string> errors, CancellationToken stop)
    {
        var hammers = new[] { "127.0.0.4", "127.0.0.5", "127.0.0.6" }.Select(a => ScanLoopAsync(a, TimeSpan.Zero));
        var spread = Enumerable.Range(1, 10).Select(a => ScanLoopAsync($"127.0.2.{a}", TimeSpan.FromMilliseconds(500)));
        return Task.WhenAll(hammers.Concat(spread));

        async Task ScanLoopAsync(string from, TimeSpan pause)
        {
            using var client = LoopbackClient.Create(from, node.Http.BaseAddress!);
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync(path, stop);
                    counts.AddOrUpdate($"code flood {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    if ((int)response.StatusCode >= 500)
                    {
                        errors.Add($"scan {(int)response.StatusCode}");
                    }

                    await Task.Delay(pause, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
                {
                    counts.AddOrUpdate("code flood refused", 1, (_, n) => n + 1);
                    await Task.Delay(250, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
    }

    /// <summary>Malformed, oversized and mistyped bodies at the API and the sign-in form, anonymous and with a producer key.</summary>
    private static Task BadBodiesAsync(ProvenanceNode node, string producerKey, ConcurrentDictionary<string, long> counts, ConcurrentBag<string> errors, CancellationToken stop)
    {
        (string Path, string? Type, byte[] Body)[] bodies =
        [
            ("/api/opened", "application/json; charset=bogus", "{}"u8.ToArray()),
            ("/api/opened", "application/json", Encoding.UTF8.GetBytes("{\"tags\":" + new string('[', 500))),
            ("/api/products", "application/json", Encoding.UTF8.GetBytes("{\"gtin\":\"" + new string('9', 200_000) + "\"}")),
            ("/api/sites", "application/json", "{\"id\":\"x\",\"name\":\"y\",\"lat\":1,\"lon\":1,\"polygon\":[[1],[2],[3]]}"u8.ToArray()),
            ("/api/receipts", "text/plain", Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Repeat("https://id.example.com/01/1/21/2?k=1&m=x", 5000)))),
            ("/dashboard/login", "application/json", "{\"key\":\"x\"}"u8.ToArray()),
            ("/dashboard/login", "multipart/form-data", "--x\r\n"u8.ToArray()),
            ("/dashboard/login", "application/x-www-form-urlencoded", Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 2000).Select(i => $"f{i}=1")))),
            ("/api/keys/", null, "junk"u8.ToArray()),
        ];
        return Task.WhenAll(new[] { (string?)null, producerKey }.Select(async key =>
        {
            using var client = LoopbackClient.Create(key is null ? "127.0.0.7" : "127.0.0.8", node.Http.BaseAddress!, maxConnections: 2);
            if (key is not null)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var (path, type, body) = bodies[i % bodies.Length];
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                if (type is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }

                try
                {
                    using var response = await client.SendAsync(request, stop);
                    counts.AddOrUpdate($"bad bodies {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    if ((int)response.StatusCode >= 500)
                    {
                        errors.Add($"{path} [{type}] {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop)}");
                    }

                    await Task.Delay(20, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
                {
                    counts.AddOrUpdate("bad bodies refused", 1, (_, n) => n + 1);
                    await Task.Delay(250, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }));
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
