using System.Text;
using System.Text.Json.Nodes;
using Provenance.Core.Codes;
using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;
using Provenance.Storage;

namespace Provenance.Host.Tests.Epcis;

/// <summary>
/// One node whose bottles went through every lifecycle step, all through public interfaces: 24 tags of lot L1 and 4
/// of lot L2 issued with the CLI, 12 of L1 sealed over MQTT by the real gateway simulator, a case of 4 bottles, a
/// shipment (the case and 4 loose bottles) to distributor d-1, that distributor's receipt of 6 of them, one bottle
/// opened, one recalled, lot L2 recalled, one voided. Also the bottles of GS1's example documents (GTINs
/// 10614141073464 and 70614141123451, serials 2017 and 2018, as if issued by an earlier system) shipped to d-1.
/// </summary>
public sealed class EpcisNodeFixture : IAsyncLifetime
{
    public const string DistributorId = "d-1";
    public const string OtherDistributorId = "d-2";
    public const string ExampleGtinUrn = "10614141073464";
    public const string ExampleGtinLink = "70614141123451";

    public ProvenanceNode Node { get; } = new();

    public string ProducerKey { get; private set; } = string.Empty;

    public string DistributorKey { get; private set; } = string.Empty;

    public string OtherDistributorKey { get; private set; } = string.Empty;

    public IReadOnlyList<string> Lot1 { get; private set; } = [];

    public IReadOnlyList<string> Lot2 { get; private set; } = [];

    /// <summary>The case's code as a Digital Link URI (/00/SSCC).</summary>
    public string CaseCode { get; private set; } = string.Empty;

    public string Sscc { get; private set; } = string.Empty;

    public DateTimeOffset StartedAt { get; private set; }

    public async Task InitializeAsync()
    {
        StartedAt = DateTimeOffset.UtcNow;
        var gateway = await Node.SetUpAsync();
        (_, Lot1) = await Node.IssueAsync(24, "L1");
        (_, Lot2) = await Node.IssueAsync(4, "L2");
        await Node.CliAsync("products", "add", "--gtin", ExampleGtinUrn, "--name", "GS1 example product", "--brand", "Example");
        await Node.CliAsync("products", "add", "--gtin", ExampleGtinLink, "--name", "GS1 example product (Digital Link)", "--brand", "Example");
        var tags = new TagStore(TestStorage.Open(Node.DataDirectory));
        foreach (var gtin in new[] { ExampleGtinUrn, ExampleGtinLink })
        {
            Assert.True(tags.AddTags(tags.CreateBatch(gtin, null, 2), gtin, null, ["2017", "2018"]));
        }

        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync("--Api:ScansPerCodePerMinute=100000");
        using (var key = Simulation.LoadKey(gateway))
        {
            await Simulation.RunGnssOnlyAsync(Simulation.Options(Node, gateway, [], key), TimeSpan.FromSeconds(1.5));
            await Simulation.RunAsync(Simulation.Options(Node, gateway, Lot1.Take(12).ToList(), key), TimeSpan.FromSeconds(60));
        }

        await SealToVerdictTests.WaitForLedgerAsync(Node);
        DistributorKey = await CreateDistributorAsync(DistributorId);
        OtherDistributorKey = await CreateDistributorAsync(OtherDistributorId);

        const string SsccBody = "09506000123456789"; // extension digit, company prefix, serial reference
        Sscc = SsccBody + CheckDigit.Compute(SsccBody);
        CaseCode = $"https://id.example.com/00/{Sscc}";
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/cases", ProducerKey, new { code = CaseCode, tags = Lot1.Take(4) });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/shipments", ProducerKey, new { distributorId = DistributorId, cases = new[] { CaseCode }, tags = Lot1.Skip(4).Take(4) });
        string[] examples = [.. new[] { ExampleGtinUrn, ExampleGtinLink }.SelectMany(g => new[] { $"https://id.example.com/01/{g}/21/2017", $"https://id.example.com/01/{g}/21/2018" })];
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/shipments", ProducerKey, new { distributorId = DistributorId, tags = examples });
        using (var receipt = await ApiCalls.SendAsync(Node, HttpMethod.Post, "/api/receipts?lat=31.2304&lon=121.4737&country=CN", DistributorKey, content: new StringContent(string.Join('\n', Lot1.Take(6)), Encoding.UTF8, "text/plain")))
        {
            Assert.True(receipt.IsSuccessStatusCode, await receipt.Content.ReadAsStringAsync());
        }

        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/opened", ProducerKey, new { tags = new[] { Lot1[0] }, source = "retailer" });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/recalls", ProducerKey, new { tags = new[] { Lot1[1] }, reason = "cap seal defect" });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/recalls", ProducerKey, new { gtin = ProvenanceNode.Gtin, lot = "L2", reason = "bottling fault" });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/voids", ProducerKey, new { tags = new[] { Lot1[20] }, reason = "misprinted label" });
        await WaitForEventsAsync("EQ_bizStep=assembling", 12);
    }

    public static string Bottle(string url)
    {
        var segments = new Uri(url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return $"https://id.gs1.org/01/{segments[1]}/21/{segments[^1]}";
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();

    public Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string path, string? key = null) => new EpcisClient(Node, ProducerKey).GetAsync(path, key);

    public Task<List<JsonObject>> EventsAsync(string query, string? key = null) => new EpcisClient(Node, ProducerKey).EventsAsync(query, key);

    private Task WaitForEventsAsync(string query, int count) => new EpcisClient(Node, ProducerKey).WaitForEventsAsync(query, count);

    private Task<string> CreateDistributorAsync(string id) => new EpcisClient(Node, ProducerKey).CreateDistributorAsync(id);
}

[CollectionDefinition(Name)]
public sealed class EpcisCollection : ICollectionFixture<EpcisNodeFixture>
{
    public const string Name = "epcis node";
}
