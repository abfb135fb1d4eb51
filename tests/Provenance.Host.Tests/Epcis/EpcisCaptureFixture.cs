using System.Text.Json.Nodes;
using Provenance.Host.Tests.Support;
using Provenance.Storage;

namespace Provenance.Host.Tests.Epcis;

/// <summary>
/// A node for capture tests: 16 issued bottles of lot L1, the bottles GS1's example documents name (as if issued by an
/// earlier system) shipped to distributor d-1, and a second distributor d-2. Nothing is sealed: capture does not need it.
/// </summary>
public sealed class EpcisCaptureFixture : IAsyncLifetime
{
    public ProvenanceNode Node { get; } = new();

    internal EpcisClient Client { get; private set; } = null!;

    public IReadOnlyList<string> Lot1 { get; private set; } = [];

    public string ProducerKey { get; private set; } = string.Empty;

    public string DistributorKey { get; private set; } = string.Empty;

    public string OtherDistributorKey { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Node.SetUpAsync();
        (_, Lot1) = await Node.IssueAsync(16, "L1");
        await Node.CliAsync("products", "add", "--gtin", EpcisNodeFixture.ExampleGtinUrn, "--name", "GS1 example product", "--brand", "Example");
        await Node.CliAsync("products", "add", "--gtin", EpcisNodeFixture.ExampleGtinLink, "--name", "GS1 example product (Digital Link)", "--brand", "Example");
        var tags = new TagStore(TestStorage.Open(Node.DataDirectory));
        foreach (var gtin in new[] { EpcisNodeFixture.ExampleGtinUrn, EpcisNodeFixture.ExampleGtinLink })
        {
            Assert.True(tags.AddTags(tags.CreateBatch(gtin, null, 2), gtin, null, ["2017", "2018"]));
        }

        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        Client = new EpcisClient(Node, ProducerKey);
        await Node.StartAsync();
        DistributorKey = await Client.CreateDistributorAsync(EpcisNodeFixture.DistributorId);
        OtherDistributorKey = await Client.CreateDistributorAsync(EpcisNodeFixture.OtherDistributorId);
        string[] examples = [.. new[] { EpcisNodeFixture.ExampleGtinUrn, EpcisNodeFixture.ExampleGtinLink }.SelectMany(g => new[] { $"https://id.example.com/01/{g}/21/2017", $"https://id.example.com/01/{g}/21/2018" })];
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/shipments", ProducerKey, new { distributorId = EpcisNodeFixture.DistributorId, tags = examples });
    }

    /// <summary>An official example document from ../shared/conformance/epcis/examples.</summary>
    public static JsonObject Example(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(EpcisValidator.ConformanceDirectory, "examples", name)))!.AsObject();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EpcisCaptureCollection : ICollectionFixture<EpcisCaptureFixture>
{
    public const string Name = "epcis capture node";
}
