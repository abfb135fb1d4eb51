using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provenance.Core.Signing;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Boundary;

/// <summary>
/// One in-process node set up over HTTP for the boundary tests, with a caller for each role: anonymous, anonymous on the
/// management listener, two producer keys, distributors A and B (each with its own key), an admin key, and a producer's
/// dashboard session (cookie only). Objects: a site, a product, six issued tags (tag 0 shipped to A, tag 1 to B), a batch.
/// </summary>
public sealed partial class BoundaryNode : IAsyncLifetime
{
    public const string Gtin = "09506000134352";
    public const string Lot = "L1";
    public const string SiteId = "plant-1";
    public const string GatewayId = "gw-matrix";
    public const string DistributorA = "dist-a";
    public const string DistributorB = "dist-b";
    public const string RetailerA = "ret-a";
    public const string RetailerB = "ret-b";

    private int _unique;

    public InProcessNode Node { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public string AdminKey { get; private set; } = string.Empty;

    public IReadOnlyDictionary<MatrixRole, HttpClient> Callers { get; private set; } = new Dictionary<MatrixRole, HttpClient>();

    public IReadOnlyDictionary<MatrixRole, string> KeyIds { get; private set; } = new Dictionary<MatrixRole, string>();

    /// <summary>Issued tags as printed (Digital Link URIs with their MAC).</summary>
    public IReadOnlyList<string> Tags { get; private set; } = [];

    public long ShipmentToA { get; private set; }

    public long BatchId { get; private set; }

    public async Task InitializeAsync()
    {
        Node = await InProcessNode.StartAsync(RewardSettings);
        (var adminId, AdminKey) = Node.CreateKey("admin");
        Admin = Node.ClientWithKey(AdminKey);
        var (producerId, producer) = await CreateKeyAsync("producer");
        var (producer2Id, producer2) = await CreateKeyAsync("producer");
        await PostAsync(Admin, "/api/sites", new { id = SiteId, name = "Plant One", lat = 27.8611, lon = 106.3720, radiusM = 500 });
        await PostAsync(Admin, "/api/gateways", new { id = GatewayId, siteId = SiteId, publicKeyPem = NewGatewayPublicKey() });
        await PostAsync(Admin, "/api/products", new { gtin = Gtin, name = "Test Baijiu", brand = "Provenance Distillery" });
        var batch = await PostAsync(Admin, "/api/batches", new { gtin = Gtin, lot = Lot, count = 6 });
        BatchId = batch.GetProperty("batchId").GetInt64();
        var csv = await Admin.GetStringAsync($"/api/batches/{BatchId}/labels.csv");
        Tags = [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0])];
        var region = new { iso = new[] { "CN" } };
        using var producerClient = Node.ClientWithKey(producer);
        var a = await PostAsync(producerClient, "/api/distributors", new { id = DistributorA, name = "Alpha Trading", country = "CN", region });
        var b = await PostAsync(producerClient, "/api/distributors", new { id = DistributorB, name = "Beta Trading", country = "CN", region });
        ShipmentToA = (await PostAsync(producerClient, "/api/shipments", new { distributorId = DistributorA, tags = new[] { Tags[0] } })).GetProperty("id").GetInt64();
        await PostAsync(producerClient, "/api/shipments", new { distributorId = DistributorB, tags = new[] { Tags[1] } });
        await PostAsync(producerClient, "/api/shipments", new { distributorId = DistributorA, tags = new[] { Tags[5] } });
        await PostAsync(producerClient, "/api/dealers", new { id = RetailerA, name = "Alpha Shop", parentId = DistributorA, level = "retailer", region });
        await PostAsync(producerClient, "/api/dealers", new { id = RetailerB, name = "Beta Shop", parentId = DistributorB, level = "retailer", region });

        Callers = new Dictionary<MatrixRole, HttpClient>
        {
            [MatrixRole.Anonymous] = Node.Http,
            [MatrixRole.Management] = Node.Management,
            [MatrixRole.Producer] = Node.ClientWithKey(producer),
            [MatrixRole.OtherProducer] = Node.ClientWithKey(producer2),
            [MatrixRole.DistributorA] = Node.ClientWithKey(a.GetProperty("apiKey").GetString()!),
            [MatrixRole.DistributorB] = Node.ClientWithKey(b.GetProperty("apiKey").GetString()!),
            [MatrixRole.Admin] = Admin,
            [MatrixRole.Session] = await SignInAsync(producer),
        };
        KeyIds = new Dictionary<MatrixRole, string>
        {
            [MatrixRole.Producer] = producerId,
            [MatrixRole.OtherProducer] = producer2Id,
            [MatrixRole.DistributorA] = a.GetProperty("apiKeyId").GetString()!,
            [MatrixRole.DistributorB] = b.GetProperty("apiKeyId").GetString()!,
            [MatrixRole.Admin] = adminId,
        };
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Callers.Values.Where(c => c != Node.Http && c != Node.Management))
        {
            client.Dispose();
        }

        await Node.DisposeAsync();
    }

    /// <summary>The id of an EPCIS shipping event that concerns distributor A (the first one A's own query returns).</summary>
    public async Task<string> ShippingEventToAAsync()
    {
        var body = await Callers[MatrixRole.DistributorA].GetStringAsync("/epcis/events?EQ_bizStep=shipping");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("epcisBody").GetProperty("queryResults").GetProperty("resultsBody").GetProperty("eventList")[0].GetProperty("eventID").GetString()!;
    }

    /// <summary>A capture job of distributor A's (a receiving event of the bottle shipped to it).</summary>
    public async Task<string> CaptureByDistributorAAsync()
    {
        using var request = RouteRoleMatrix.Epcis("/epcis/capture", Tags[0]);
        using var response = await Callers[MatrixRole.DistributorA].SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"distributor A's capture was refused: {(int)response.StatusCode} {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("captureID").GetString()!;
    }

    /// <summary>A number no other call returns, for ids that must be new.</summary>
    public int Unique() => Interlocked.Increment(ref _unique);

    /// <summary>A GTIN-14 nobody registered yet.</summary>
    public string NewGtin()
    {
        var digits = "0950600" + (100000 + Unique()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return digits + Core.Codes.CheckDigit.Compute(digits);
    }

    /// <summary>A case code (Digital Link with AI 00, a valid SSCC) nobody used yet.</summary>
    public string NewCaseCode()
    {
        var digits = "09506000" + (100000000 + Unique()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"https://id.example.com/00/{digits}{Core.Codes.CheckDigit.Compute(digits)}";
    }

    /// <summary>A new API key made by the admin over HTTP; returns its id and secret.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string role, string? distributorId = null)
    {
        var created = await PostAsync(Admin, "/api/keys", new { role, distributorId });
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    /// <summary>A new gateway at <see cref="SiteId"/>, registered by the admin over HTTP; returns its id.</summary>
    public async Task<string> CreateGatewayAsync()
    {
        var id = $"gw-m{Unique()}";
        await PostAsync(Admin, "/api/gateways", new { id, siteId = SiteId, publicKeyPem = NewGatewayPublicKey() });
        return id;
    }

    /// <summary>A fresh gateway public key (PEM).</summary>
    public static string NewGatewayPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return GatewayKeys.ExportPublicKeyPem(key);
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Signs in to the dashboard as a browser does (form with its antiforgery token) and returns the browser: cookies only, no key header.</summary>
    public async Task<HttpClient> SignInAsync(string producerKey)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = Node.Http.BaseAddress,
        };
        using var page = await browser.GetAsync("/dashboard"); // 401: the sign-in form
        var form = await page.Content.ReadAsStringAsync();
        using var response = await browser.PostAsync("/dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = Token(form),
            ["key"] = producerKey,
        }));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return browser;
    }

    /// <summary>The antiforgery token in a page's form.</summary>
    public static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery field in the page");

    [GeneratedRegex("name=\"__af\" value=\"([^\"]*)\"")]
    private static partial Regex AntiforgeryField();
}

/// <summary>The callers of the route × role matrix, in the order of its expectation strings.</summary>
public enum MatrixRole
{
    Anonymous,
    Management,
    Producer,
    OtherProducer,
    DistributorA,
    DistributorB,
    Admin,
    Session,
}

[CollectionDefinition(Name)]
public sealed class BoundaryCollection : ICollectionFixture<BoundaryNode>
{
    public const string Name = "HTTP boundary";
}
