using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Analytics;

/// <summary>
/// A node with consumer scans in two places and one dealer alert, made through the public scan and distribution APIs:
/// <see cref="GuangzhouScans"/> scans of different bottles from different phones around Guangzhou, <see cref="ChengduScans"/>
/// (fewer than the minimum group size) around Chengdu, a warehouse receipt in Chengdu (not a consumer scan), and a
/// receipt by another distributor that raises an alert against the owner.
/// </summary>
public sealed class AnalyticsNodeFixture : IAsyncLifetime
{
    public const string Collection = "analytics node";

    public const int GuangzhouScans = 12, ChengduScans = 3;
    public const double GuangzhouLat = 23.13, GuangzhouLon = 113.26, ChengduLat = 30.66, ChengduLon = 104.07;
    public const string Owner = "an-owner", Receiver = "an-receiver";

    private static readonly object Sichuan = new { polygons = new[] { new[] { new[] { 26.0, 97.3 }, new[] { 26.0, 108.5 }, new[] { 34.3, 108.5 }, new[] { 34.3, 97.3 } } } };

    private static readonly object Guangdong = new { polygons = new[] { new[] { new[] { 20.2, 109.6 }, new[] { 20.2, 117.3 }, new[] { 25.5, 117.3 }, new[] { 25.5, 109.6 } } } };

    public ProvenanceNode Node { get; } = new();

    public string ProducerKey { get; private set; } = string.Empty;

    public string OwnerKey { get; private set; } = string.Empty;

    public IReadOnlyList<string> Bottles { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Node.SetUpAsync();
        (_, Bottles) = await Node.IssueAsync(GuangzhouScans + ChengduScans + 2);
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync(ProvenanceNode.TrustLoopbackProxy);

        for (var i = 0; i < GuangzhouScans; i++)
        {
            await ApiCalls.ScanAsync(Node, Bottles[i], $"198.51.100.{10 + i}", GuangzhouLat + (i * 0.01), GuangzhouLon);
        }

        for (var i = 0; i < ChengduScans; i++)
        {
            await ApiCalls.ScanAsync(Node, Bottles[GuangzhouScans + i], $"203.0.113.{10 + i}", ChengduLat, ChengduLon);
        }

        OwnerKey = (await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/distributors", ProducerKey, new { id = Owner, name = "Guangzhou Wine Trading", country = "CN", region = Guangdong })).GetProperty("apiKey").GetString()!;
        var receiverKey = (await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/distributors", ProducerKey, new { id = Receiver, name = "Chengdu Liquor Co.", country = "CN", region = Sichuan })).GetProperty("apiKey").GetString()!;
        var shipped = Bottles[^1];
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/shipments", ProducerKey, new { distributorId = Owner, tags = new[] { shipped } });
        using var receipt = await ApiCalls.SendAsync(Node, HttpMethod.Post, FormattableString.Invariant($"/api/receipts?lat={ChengduLat}&lon={ChengduLon}"), receiverKey, content: new StringContent(shipped));
        receipt.EnsureSuccessStatusCode();
        await ApiCalls.WaitForScansAsync(Node, ProducerKey, shipped, 1);
        foreach (var bottle in Bottles.Take(GuangzhouScans + ChengduScans))
        {
            await ApiCalls.WaitForScansAsync(Node, ProducerKey, bottle, 1);
        }
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>The API and the dashboard tests share one <see cref="AnalyticsNodeFixture"/>.</summary>
[CollectionDefinition(AnalyticsNodeFixture.Collection)]
public sealed class AnalyticsNodeCollection : ICollectionFixture<AnalyticsNodeFixture>;
