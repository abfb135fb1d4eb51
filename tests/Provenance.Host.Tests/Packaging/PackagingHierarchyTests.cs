using System.Net;
using System.Text.Json;
using Provenance.Ingestion;
using Provenance.Storage;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Packaging;

/// <summary>
/// The packaging hierarchy (issue 22, 五码合一): bottles packed into cases and cases onto a pallet by the line's signed
/// pack messages or the producer API; any level resolves every bottle below it, for the producer, for shipments and
/// for a consumer's scan of the pallet label (which never shows a bottle's code).
/// </summary>
public sealed class PackagingHierarchyTests(PackagingNode f, Chromium chromium) : IClassFixture<PackagingNode>, IClassFixture<Chromium>
{
    [Fact]
    public async Task Pack_messages_from_the_line_bind_cases_onto_a_pallet_that_resolves_to_every_bottle_sealed()
    {
        var cases = f.LinePacks.Where(p => p.Level == "case").ToList();
        var pallet = f.LinePacks.Single(p => p.Level == "pallet");

        var tree = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, ContainerPath(pallet.Container), f.ProducerKey);

        Assert.Equal(3, cases.Count);
        Assert.Equal("pallet", tree.GetProperty("level").GetString());
        Assert.Equal(PackagingNode.LineBottles, tree.GetProperty("bottleCount").GetInt64());
        var children = tree.GetProperty("containers").EnumerateArray().ToList();
        Assert.Equal(3, children.Count);
        Assert.All(children, c => Assert.Equal(("case", 4L), (c.GetProperty("level").GetString(), c.GetProperty("bottleCount").GetInt64())));
        var below = children.SelectMany(c => c.GetProperty("bottles").EnumerateArray().Select(b => b.GetString()!)).Order().ToList();
        Assert.Equal(f.Urls.Take(PackagingNode.LineBottles).Select(BottlePath).Order().ToList(), below);
        var oneCase = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, ContainerPath(cases[0].Container), f.ProducerKey);
        Assert.Equal("/00/" + pallet.Container[2..], oneCase.GetProperty("parent").GetString());
    }

    [Fact]
    public async Task The_line_pack_becomes_the_same_epcis_aggregation_event_the_api_writes_at_the_line_that_packed_it()
    {
        var pallet = f.LinePacks.Single(p => p.Level == "pallet");
        var parent = $"https://id.gs1.org/00/{pallet.Container[2..]}";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonElement found;
        while (true)
        {
            var events = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/epcis/events?EQ_bizStep=packing&MATCH_parentID={Uri.EscapeDataString(parent)}", f.ProducerKey);
            var list = events.GetProperty("epcisBody").GetProperty("queryResults").GetProperty("resultsBody").GetProperty("eventList").EnumerateArray().ToList();
            if (list.Count > 0)
            {
                found = list.Single();
                break;
            }

            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal("AggregationEvent", found.GetProperty("type").GetString());
        Assert.Equal("ADD", found.GetProperty("action").GetString());
        Assert.Equal(3, found.GetProperty("childEPCs").GetArrayLength());
        Assert.Contains("/lines/line-1/", found.GetProperty("readPoint").GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_message_signed_with_another_key_is_dead_lettered_and_binds_nothing()
    {
        using var key = Simulation.LoadKey(f.Gateway);

        var (forged, messages) = await PackagingNode.RunLineAsync(
            Simulation.Options(f.Node, f.Gateway, f.Urls.Skip(12).Take(2).ToList(), key) with { PackEvery = 2, Forge = true, GnssInterval = TimeSpan.Zero });

        var container = Assert.Single(forged);
        Assert.Equal(2, container.Bottles.Count);
        var published = Assert.Single(messages);
        var letters = new DeadLetterStore(TestStorage.Open(f.Node.DataDirectory)).List(ReasonCodes.BadSignature, 1000);
        var letter = Assert.Single(letters, l => l.Payload.AsSpan().SequenceEqual(published));
        Assert.EndsWith("/pack", letter.Topic, StringComparison.Ordinal);
        Assert.Contains("does not verify", letter.Reason, StringComparison.Ordinal);
        using var lookup = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, ContainerPath(container.Container), f.ProducerKey);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        var scan = await ApiCalls.ScanAsync(f.Node, f.ScanUrl(container.Container));
        Assert.Equal("unknown", scan.GetProperty("status").GetString());
        // The bottles stay free: the producer can still pack them.
        using var packed = await PackAsync("/00/106141411234000011", "case", bottles: [f.Urls[12], f.Urls[13]]);
        Assert.Equal(HttpStatusCode.Created, packed.StatusCode);
    }

    [Fact]
    public async Task Cycles_a_second_parent_and_levels_out_of_order_are_refused_and_change_nothing()
    {
        const string box = "/00/106141411234010010", caseCode = "/00/106141411234010027", pallet = "/00/106141411234010034", otherBox = "/00/106141411234010041";
        using (var r = await PackAsync(box, "box", bottles: [f.Urls[20], f.Urls[21]]))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        using (var r = await PackAsync(caseCode, "case", bottles: [f.Urls[22]], containers: [box]))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        using (var r = await PackAsync(pallet, "pallet", containers: [caseCode]))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        var cycle = await RefusedAsync(caseCode, "case", HttpStatusCode.Conflict, containers: [pallet]);
        var bottleTwice = await RefusedAsync(otherBox, "box", HttpStatusCode.Conflict, bottles: [f.Urls[20]]);
        var boxTwice = await RefusedAsync("/00/106141411234010058", "case", HttpStatusCode.Conflict, containers: [box]);
        var caseIntoBox = await RefusedAsync(otherBox, "box", HttpStatusCode.BadRequest, containers: [caseCode]);
        var wrongLevel = await RefusedAsync(box, "case", HttpStatusCode.Conflict, bottles: [f.Urls[23]]);

        Assert.Contains("cycle", cycle, StringComparison.Ordinal);
        Assert.Contains("already in " + box, bottleTwice, StringComparison.Ordinal);
        Assert.Contains("reassign", bottleTwice, StringComparison.Ordinal);
        Assert.Contains("already in " + caseCode, boxTwice, StringComparison.Ordinal);
        Assert.Contains("levels nest", caseIntoBox, StringComparison.Ordinal);
        Assert.Contains("already registered as a box", wrongLevel, StringComparison.Ordinal);
        var tree = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/containers" + pallet, f.ProducerKey);
        Assert.Equal(3, tree.GetProperty("bottleCount").GetInt64());
        using (var missing = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, "/api/containers" + otherBox, f.ProducerKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // Repacking on purpose: reassign moves the box (and its bottles) out of the case, then unpacking empties the pallet.
        var moved = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/containers", f.ProducerKey, new { code = Link(otherBox), level = "case", containers = new[] { Link(box) }, reassign = true });
        Assert.Equal([caseCode], moved.GetProperty("movedFrom").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(1, (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/containers" + pallet, f.ProducerKey)).GetProperty("bottleCount").GetInt64());
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/containers/unpack", f.ProducerKey, new { code = Link(pallet) });
        Assert.Equal(0, (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/containers" + pallet, f.ProducerKey)).GetProperty("bottleCount").GetInt64());
    }

    [Fact]
    public async Task A_shipment_of_the_pallet_allocates_every_bottle_below_it_a_receipt_of_the_pallet_resolves_them_and_only_that_distributor_may_look_inside()
    {
        var pallet = f.LinePacks.Single(p => p.Level == "pallet");
        var distributorKey = await DistributorAsync("pk-pallet-owner");
        var otherKey = await DistributorAsync("pk-pallet-other");

        var shipment = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId = "pk-pallet-owner", cases = new[] { f.ScanUrl(pallet.Container) } });

        Assert.Equal(PackagingNode.LineBottles, shipment.GetProperty("tagCount").GetInt64());
        foreach (var url in f.Urls.Take(PackagingNode.LineBottles))
        {
            var owner = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(url) + "/distributor", f.ProducerKey);
            Assert.Equal("pk-pallet-owner", owner.GetProperty("distributor").GetProperty("id").GetString());
        }

        var received = await ReceiveAsync(distributorKey, f.ScanUrl(pallet.Container));
        Assert.Equal((1, 0, 0), (received.GetProperty("accepted").GetInt32(), received.GetProperty("counterfeit").GetArrayLength(), received.GetProperty("notAllocatedToYou").GetArrayLength()));
        var elsewhere = await ReceiveAsync(otherKey, f.ScanUrl(pallet.Container));
        Assert.Equal([f.ScanUrl(pallet.Container)], elsewhere.GetProperty("notAllocatedToYou").EnumerateArray().Select(c => c.GetString()));
        var seen = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, ContainerPath(pallet.Container), distributorKey);
        Assert.Equal(PackagingNode.LineBottles, seen.GetProperty("bottleCount").GetInt64());
        using var hidden = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, ContainerPath(pallet.Container), otherKey);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    public static TheoryData<string, string, string, string, string> Languages => new()
    {
        // Accept-Language, lang, title, count sentence, cases sentence
        { "en-GB,en;q=0.9", "en", "A pallet packed by the producer", "It holds 12 bottles.", "3 cases" },
        { "zh-CN,zh;q=0.9", "zh-CN", "生产商打包的整托", "内含 12 瓶酒。", "3 箱" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Scanning_the_pallet_label_tells_a_consumer_what_it_holds_in_their_language_without_any_code(string acceptLanguage, string lang, string title, string count, string cases)
    {
        var pallet = f.LinePacks.Single(p => p.Level == "pallet");
        await using var context = await chromium.PhoneAsync(acceptLanguage);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(f.ScanUrl(pallet.Container));

        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-container", "pallet");
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(count);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(cases);
        await Expect(page.Locator("#contents")).ToContainTextAsync("12 × Test Baijiu 53%");
        var body = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain(pallet.Container[2..], body, StringComparison.Ordinal);
        Assert.DoesNotContain(ProvenanceNode.Gtin, body, StringComparison.Ordinal);
        foreach (var url in f.Urls.Take(PackagingNode.LineBottles))
        {
            Assert.DoesNotContain(new Uri(url).AbsolutePath.Split('/')[^1], body, StringComparison.Ordinal);
        }

        await Chromium.ScreenshotAsync(page, $"pallet-{lang}-phone");
    }

    private static string ContainerPath(string elementString) => "/api/containers/00/" + elementString[2..];

    private string Link(string path) => $"http://{f.Node.Authority}{path}";

    private static string BottlePath(string url)
    {
        var segments = new Uri(url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return $"/01/{segments[1]}/21/{segments[^1]}";
    }

    private static string TagPath(string url)
    {
        var segments = new Uri(url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return $"/api/tags/{segments[1]}/{segments[^1]}";
    }

    private Task<HttpResponseMessage> PackAsync(string code, string level, string[]? bottles = null, string[]? containers = null) =>
        ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/containers", f.ProducerKey, new { code = Link(code), level, bottles, containers = containers?.Select(Link).ToArray() });

    private async Task<string> RefusedAsync(string code, string level, HttpStatusCode expected, string[]? bottles = null, string[]? containers = null)
    {
        using var response = await PackAsync(code, level, bottles, containers);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return text;
    }

    private async Task<JsonElement> ReceiveAsync(string distributorKey, string code)
    {
        using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/receipts", distributorKey, content: new StringContent(code, System.Text.Encoding.UTF8, "text/plain"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"receipt: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> DistributorAsync(string id)
    {
        var created = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id, name = id, region = new { iso = new[] { "CN" } } });
        return created.GetProperty("apiKey").GetString()!;
    }
}
