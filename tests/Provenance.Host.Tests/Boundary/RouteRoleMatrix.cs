using System.Net.Http.Json;

namespace Provenance.Host.Tests.Boundary;

/// <summary>
/// One row of the route × role matrix: a route pattern as the endpoint data source names it, a request for it (made
/// per caller, so a caller that may change something changes its own object), and the status each caller must get,
/// in <see cref="MatrixRole"/> order: anonymous, management listener (anonymous), producer, another producer key,
/// distributor A, distributor B, admin, producer's dashboard session.
/// </summary>
public sealed record MatrixRow(string Method, string Pattern, string Expected, Func<BoundaryNode, MatrixRole, Task<HttpRequestMessage>> Request, string Why)
{
    public int ExpectedFor(MatrixRole role) => int.Parse(Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries)[(int)role], System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"{Method} {Pattern} ({Why})";
}

/// <summary>
/// The BOLA/BFLA matrix as data: who may call what, and which objects a caller can reach. 401: no credential; 403:
/// the caller's role (or a dashboard session, which only reads) may not; 404: the object is not the caller's, answered
/// as if it did not exist.
/// </summary>
public static class RouteRoleMatrix
{
    //                                 anon mgmt prod prod2 distA distB admin session
    private const string Public200 = "200 200 200 200 200 200 200 200";
    private const string ManagementOnly = "401 200 403 403 403 403 200 403";

    public static IReadOnlyList<MatrixRow> Rows { get; } =
    [
        Get("/01/{**rest}", Public200, n => ScanPath(n.Tags[4]), "the public scan"),
        Get("/01/{gtin}/21/{serial}/proof", "404 404 404 404 404 404 404 404", n => ProofPath(n.Tags[5], withLot: false),
            "a proof for a code not sealed yet: the same 404 as a forged code, to anyone (sealed bottles: ProofBundleTests)"),
        Get("/01/{gtin}/10/{lot}/21/{serial}/proof", "404 404 404 404 404 404 404 404", n => ProofPath(n.Tags[5], withLot: true),
            "the same with the lot in the path"),
        Get("/assets/{name}", Public200, _ => "/assets/scan.js", "page scripts"),
        Get("/in/01/{**rest}", Public200, n => "/in" + ScanPath(n.Tags[4]), "an inner code's scan (an outer code behind /in does not verify: counterfeit, nothing opened)"),
        Get("/nfc/{keyId}", Public200, _ => $"/nfc/1?e={new string('0', 32)}&m={new string('0', 16)}", "an NFC cap's tap (a message that does not verify: counterfeit)"),
        Get("/health/live", Public200, _ => "/health/live", "liveness probe"),
        Get("/health/ready", Public200, _ => "/health/ready", "readiness probe"),
        Get("/health", ManagementOnly, _ => "/health", "health details"),
        Get("/metrics", ManagementOnly, _ => "/metrics", "Prometheus scrape"),
        Get("/openapi/{documentName}.json", ManagementOnly, _ => "/openapi/v1.json", "OpenAPI document"),
        Get("/dashboard", "401 401 200 200 401 401 200 200", _ => "/dashboard", "the page or its sign-in form"),
        Row("POST", "/dashboard/login", "400 400 400 400 400 400 400 400", (_, _) => Form("/dashboard/login", "key=pvk_x"), "a sign-in without the form's antiforgery token"),
        Row("POST", "/dashboard/logout", "400 400 400 400 400 400 400 400", (_, _) => Form("/dashboard/logout", "x=1"), "a sign-out without the form's antiforgery token"),
        Get("/api/dashboard", "401 401 200 200 403 403 200 200", _ => "/api/dashboard", "dashboard data"),
        Get("/api/analytics/scans.geojson", "401 401 200 200 403 403 200 200", _ => "/api/analytics/scans.geojson", "the producer's scan heat map (aggregates only)"),
        Get("/api/analytics/dealers", "401 401 200 200 403 403 200 200", _ => "/api/analytics/dealers", "distributors ranked by alerts: the producer's view of every dealer"),
        Get("/api/analytics/campaigns", "401 401 200 200 403 403 200 200", _ => "/api/analytics/campaigns", "reward campaigns' budget and review queue"),

        Row("POST", "/api/distributors/", "401 401 201 201 403 403 201 403",
            (n, r) => Json("/api/distributors/", new { id = $"d-{r}-{n.Unique()}", name = "New", region = new { iso = new[] { "CN" } } }), "create a distributor"),
        Get("/api/distributors/{id}", "401 401 200 200 200 404 200 200", _ => $"/api/distributors/{BoundaryNode.DistributorA}", "distributor A's account"),
        Get("/api/distributors/{id}/report", "401 401 200 200 200 404 200 200", _ => $"/api/distributors/{BoundaryNode.DistributorA}/report", "distributor A's report"),
        Get("/api/distributors/{id}/shipments", "401 401 200 200 200 404 200 200", _ => $"/api/distributors/{BoundaryNode.DistributorA}/shipments", "distributor A's shipments"),
        Row("POST", "/api/cases", "401 401 201 201 403 403 201 403", (n, _) => Json("/api/cases", new { code = n.NewCaseCode(), tags = new[] { n.Tags[2] } }), "aggregate a case"),
        Row("POST", "/api/containers/", "401 401 201 201 403 403 201 403",
            (n, _) => Json("/api/containers/", new { code = n.NewCaseCode(), level = "case", bottles = new[] { n.Tags[5] }, reassign = true }), "pack a bottle into a new case (moving it out of the last one on purpose)"),
        Row("POST", "/api/containers/unpack", "401 401 404 404 403 403 404 403", (n, _) => Json("/api/containers/unpack", new { code = n.NewCaseCode() }), "unpack a case nobody packed: 404 once authorised"),
        Get("/api/containers/{**code}", "401 401 200 200 200 404 200 200", n => n.ContainerOfAAsync(), "a case holding only a bottle shipped to A (to B as if it did not exist)"),
        Get("/00/{**rest}", Public200, n => new Uri(n.NewCaseCode()).AbsolutePath, "the public scan of a case or pallet label (one nobody packed: unknown)"),
        Row("POST", "/api/shipments", "401 401 201 201 403 403 201 403",
            (n, _) => Json("/api/shipments", new { distributorId = BoundaryNode.DistributorA, tags = new[] { n.Tags[2] }, reassign = true }), "ship to distributor A (again, on purpose)"),
        Get("/api/shipments/{id:long}", "401 401 200 200 200 404 200 200", n => $"/api/shipments/{n.ShipmentToA}", "a shipment to distributor A"),
        Row("POST", "/api/receipts", "401 401 403 403 200 200 403 403", (n, _) => Text("/api/receipts", n.Tags[0]), "a warehouse receipt (distributors only; B learns only that the code is not its own)"),
        Row("POST", "/api/recalls", "401 401 200 200 403 403 200 403", (n, _) => Json("/api/recalls", new { tags = new[] { n.Tags[3] }, reason = "matrix" }), "recall a tag"),
        Row("POST", "/api/voids", "401 401 200 200 403 403 200 403", (n, _) => Json("/api/voids", new { tags = new[] { n.Tags[3] }, reason = "matrix" }), "void a tag"),
        Row("POST", "/api/opened", "401 401 200 200 200 404 200 403",
            (n, _) => Json("/api/opened", new { tags = new[] { n.Tags[0] }, source = "nfc" }), "mark a bottle shipped to A opened"),
        Row("POST", "/api/opened", "401 401 400 400 400 400 400 403",
            (n, _) => Json("/api/opened", new { tags = new[] { n.Tags[0][..n.Tags[0].IndexOf('?', StringComparison.Ordinal)] }, source = "nfc" }), "an opened event without the code's MAC"),
        Get("/api/tags/{gtin}/{serial}/distributor", "401 401 200 200 200 404 200 200", n => $"/api/tags/{BoundaryNode.Gtin}/{Serial(n.Tags[0])}/distributor", "which distributor a bottle shipped to A belongs to"),
        Row("POST", "/api/dealers/", "401 401 201 201 201 404 201 403",
            (n, r) => Json("/api/dealers/", new { id = $"r-{r}-{n.Unique()}", name = "Shop", parentId = BoundaryNode.DistributorA, level = "retailer", region = new { iso = new[] { "CN" } } }),
            "create a retailer under distributor A (B may not: A's branch is not B's)"),
        Get("/api/dealers/{id}", "401 401 200 200 200 404 200 200", _ => $"/api/dealers/{BoundaryNode.RetailerA}", "a retailer in A's branch"),
        Get("/api/dealers/{id}/children", "401 401 200 200 200 404 200 200", _ => $"/api/dealers/{BoundaryNode.DistributorA}/children", "the dealers under A"),
        Get("/api/dealers/{id}/report", "401 401 200 200 200 404 200 200", _ => $"/api/dealers/{BoundaryNode.DistributorA}/report", "A's custody report"),
        Row("POST", "/api/custody/scan-in", "401 401 403 403 200 200 403 403",
            (n, r) => Json("/api/custody/scan-in", new { codes = new[] { n.Tags[r == MatrixRole.DistributorB ? 1 : 0] } }), "a dealer scans in a bottle shipped to it (dealers only)"),
        Row("POST", "/api/custody/scan-out", "401 401 403 403 200 200 403 403",
            (n, r) => Json("/api/custody/scan-out", r == MatrixRole.DistributorB
                ? new { codes = new[] { n.Tags[1] }, to = BoundaryNode.RetailerB }
                : new { codes = new[] { n.Tags[0] }, to = BoundaryNode.RetailerA }), "a dealer ships a bottle to its own retailer (dealers only)"),
        Row("POST", "/api/custody/case-openings", "401 401 403 403 403 403 403 403",
            (n, _) => Json("/api/custody/case-openings", new { @case = n.NewCaseCode() }), "a case opening earns a rebate for retailers only (retailer keys: CaseRebateTests)"),
        Get("/api/tags/{gtin}/{serial}/custody", "401 401 200 200 200 404 200 200", n => $"/api/tags/{BoundaryNode.Gtin}/{Serial(n.Tags[5])}/custody",
            "the custody chain of a bottle shipped to A (dealers on the chain only)"),
        Get("/api/diversion/evidence", "401 401 200 200 403 403 200 200", _ => "/api/diversion/evidence", "weak diversion evidence (producer only)"),
        Get("/api/tags/{gtin}/{serial}/scans", "401 401 200 200 403 403 200 200", n => $"/api/tags/{BoundaryNode.Gtin}/{Serial(n.Tags[4])}/scans", "a tag's scan history"),
        Get("/api/alerts", "401 401 200 200 200 200 200 200", _ => "/api/alerts", "the alert feed (a distributor's own alerts only)"),

        Get("/epcis/events", "401 401 200 200 200 200 200 200", _ => "/epcis/events?EQ_bizStep=shipping", "EPCIS query (a distributor gets the events that concern it)"),
        Get("/epcis/events/{**eventId}", "401 401 200 200 200 404 200 200",
            async n => $"/epcis/events/{Uri.EscapeDataString(await n.ShippingEventToAAsync())}", "the EPCIS shipping event of a bottle shipped to A"),
        Row("POST", "/epcis/capture", "401 401 403 403 202 202 202 403", (n, _) => Epcis("/epcis/capture", n.Tags[0]),
            "an EPCIS receiving event for a bottle shipped to A (distributors only; B's is recorded and raised as a receipt mismatch)"),
        Get("/epcis/capture/{captureId}", "401 401 200 200 200 404 200 200",
            async n => $"/epcis/capture/{await n.CaptureByDistributorAAsync()}", "distributor A's EPCIS capture job"),

        Get("/api/keys/", "401 401 403 403 403 403 200 403", _ => "/api/keys/", "list API keys"),
        Row("POST", "/api/keys/", "401 401 403 403 403 403 201 403", (_, _) => Json("/api/keys/", new { role = "distributor", distributorId = BoundaryNode.DistributorA }), "create an API key"),
        Row("POST", "/api/keys/{id}/revoke", "401 401 200 200 404 404 200 403",
            async (n, _) => Post($"/api/keys/{(await n.CreateKeyAsync("distributor", BoundaryNode.DistributorA)).Id}/revoke"), "revoke a distributor's key (not the caller's own)"),
        Row("POST", "/api/keys/{id}/revoke", "401 401 404 404 404 404 200 403",
            async (n, _) => Post($"/api/keys/{(await n.CreateKeyAsync("producer")).Id}/revoke"), "revoke another producer's key"),
        Row("POST", "/api/keys/{id}/rotate", "401 401 200 200 404 404 200 403",
            async (n, _) => Post($"/api/keys/{(await n.CreateKeyAsync("distributor", BoundaryNode.DistributorB)).Id}/rotate"), "rotate a distributor's key (not the caller's own)"),
        Row("POST", "/api/keys/{id}/rotate", "401 401 404 404 404 404 200 403",
            async (n, _) => Post($"/api/keys/{(await n.CreateKeyAsync("admin")).Id}/rotate"), "rotate an admin key"),

        Row("POST", "/api/products", "401 401 201 201 403 403 201 403", (n, _) => Json("/api/products", new { gtin = n.NewGtin(), name = "New", brand = "Brand" }), "register a product"),
        Row("POST", "/api/sites", "401 401 201 201 403 403 201 403",
            (n, r) => Json("/api/sites", new { id = $"site-{n.Unique()}", name = "Site", lat = 27.86, lon = 106.37, radiusM = 300 }), "register a site"),
        Row("POST", "/api/gateways", "401 401 201 201 403 403 201 403",
            (n, r) => Json("/api/gateways", new { id = $"gw-{n.Unique()}", siteId = BoundaryNode.SiteId, publicKeyPem = BoundaryNode.NewGatewayPublicKey() }), "register a gateway"),
        Get("/api/gateways/{id}", "401 401 200 200 403 403 200 200", _ => $"/api/gateways/{BoundaryNode.GatewayId}", "a gateway's key and revocation state"),
        Row("POST", "/api/gateways/{id}/rotate", "401 401 200 200 403 403 200 403",
            async (n, _) => Json($"/api/gateways/{await n.CreateGatewayAsync()}/rotate", new { newSecret = true }), "rotate a gateway's MQTT secret"),
        Row("POST", "/api/gateways/{id}/revoke", "401 401 200 200 403 403 200 403",
            async (n, _) => Json($"/api/gateways/{await n.CreateGatewayAsync()}/revoke", new { reason = "matrix" }), "revoke a gateway"),
        Get("/api/gateways/{id}/twin", "401 401 200 200 403 403 200 200", _ => $"/api/gateways/{BoundaryNode.GatewayId}/twin", "a gateway's device twin"),
        Row("PATCH", "/api/gateways/{id}/twin/desired", "401 401 200 200 403 403 200 403",
            (_, _) => new HttpRequestMessage(HttpMethod.Patch, $"/api/gateways/{BoundaryNode.GatewayId}/twin/desired") { Content = JsonContent.Create(new { publishIntervalSeconds = 60 }) },
            "change a gateway's desired configuration (it is not connected: stored, not pushed)"),
        Row("POST", "/api/gateways/{id}/methods/{name}", "401 401 409 409 403 403 409 403",
            (_, _) => Json($"/api/gateways/{BoundaryNode.GatewayId}/methods/flushQueue", new { responseTimeoutInSeconds = 5 }), "a direct method: the gateway is not connected, so 409 once authorised"),
        Row("POST", "/api/gateways/{id}/messages", "401 401 409 409 403 403 409 403",
            (_, _) => Json($"/api/gateways/{BoundaryNode.GatewayId}/messages", new { body = "hello" }), "a cloud-to-device message: the gateway is not connected, so 409 once authorised"),
        Row("POST", "/api/batches", "401 401 201 201 403 403 201 403", (_, _) => Json("/api/batches", new { gtin = BoundaryNode.Gtin, lot = "M1", count = 1 }), "issue a batch"),
        Get("/api/batches/{id:long}/labels.csv", "401 401 200 200 403 403 200 200", n => $"/api/batches/{n.BatchId}/labels.csv", "a batch's printer CSV"),
        Get("/api/batches/{id:long}/labels.zip", "401 401 200 200 403 403 200 200", n => $"/api/batches/{n.BatchId}/labels.zip", "a batch's QR images"),
        Get("/api/batches/{id:long}/inner-labels.csv", "401 401 200 200 403 403 200 200", n => $"/api/batches/{n.BatchId}/inner-labels.csv", "a batch's secret inner codes, as a printer CSV"),
        Get("/api/batches/{id:long}/inner-labels.zip", "401 401 200 200 403 403 200 200", n => $"/api/batches/{n.BatchId}/inner-labels.zip", "a batch's secret inner codes, as QR images"),

        Row("POST", "/rewards/redeem", Public200, (n, _) => Json("/rewards/redeem", new { code = n.Tags[4], userId = "matrix-user", deviceId = "matrix-device" }),
            "a consumer's reward claim (an outer code is no inner code: invalid_code, the same for anyone)"),
        Row("POST", "/api/campaigns/", "401 401 201 201 403 403 201 403", (n, r) => Json("/api/campaigns/", BoundaryNode.Campaign($"c-{r}-{n.Unique()}")), "create a reward campaign"),
        Get("/api/campaigns/", "401 401 200 200 403 403 200 200", _ => "/api/campaigns/", "every campaign"),
        Get("/api/campaigns/{id}", "401 401 200 200 403 403 200 200", async n => $"/api/campaigns/{await n.CampaignAsync()}", "a campaign"),
        Get("/api/campaigns/{id}/redemptions", "401 401 200 200 403 403 200 200", async n => $"/api/campaigns/{await n.CampaignAsync()}/redemptions", "a campaign's redemptions"),
        Get("/api/campaigns/{id}/redemptions/{redemptionId}", "401 401 404 404 403 403 404 404", async n => $"/api/campaigns/{await n.CampaignAsync()}/redemptions/{BoundaryNode.NoRedemption}",
            "a redemption that is not in the campaign (the same 404 as one in another campaign)"),
        Row("POST", "/api/campaigns/{id}/redemptions/{redemptionId}/approve", "401 401 404 404 403 403 404 403",
            async (n, _) => Post($"/api/campaigns/{await n.CampaignAsync()}/redemptions/{BoundaryNode.NoRedemption}/approve"), "approve a held redemption (this one is not in the campaign)"),
        Row("POST", "/api/campaigns/{id}/redemptions/{redemptionId}/reject", "401 401 404 404 403 403 404 403",
            async (n, _) => Post($"/api/campaigns/{await n.CampaignAsync()}/redemptions/{BoundaryNode.NoRedemption}/reject"), "reject a held redemption (this one is not in the campaign)"),
    ];

    /// <summary>The scan path of a printed URI (path and query, as a phone would request it).</summary>
    public static string ScanPath(string uri) => new Uri(uri).PathAndQuery;

    public static string Serial(string uri) => new Uri(uri).AbsolutePath.Split('/')[^1];

    /// <summary>The proof path of a printed URI, with or without the batch's lot (the MAC query kept).</summary>
    public static string ProofPath(string uri, bool withLot)
    {
        var parsed = new Uri(uri);
        var lot = withLot ? $"/10/{BoundaryNode.Lot}" : string.Empty;
        return $"/01/{BoundaryNode.Gtin}{lot}/21/{Serial(uri)}/proof{parsed.Query}";
    }

    /// <summary>An EPCIS 2.0 document with one receiving event (observed by the caller) of a printed code.</summary>
    public static HttpRequestMessage Epcis(string path, string bottleUri)
    {
        var serial = Serial(bottleUri);
        var document = $$$"""
            {"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-30T10:00:00.000Z",
             "epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-11-30T11:00:00.000Z","eventTimeZoneOffset":"+08:00",
               "epcList":["https://id.gs1.org/01/{{{BoundaryNode.Gtin}}}/21/{{{serial}}}"],"action":"OBSERVE","bizStep":"receiving","disposition":"in_progress"}]}}
            """;
        return new(HttpMethod.Post, path) { Content = new StringContent(document, System.Text.Encoding.UTF8, "application/json") };
    }

    private static MatrixRow Get(string pattern, string expected, Func<BoundaryNode, Task<string>> path, string why) =>
        new("GET", pattern, expected, async (n, _) => new HttpRequestMessage(HttpMethod.Get, await path(n)), why);

    private static MatrixRow Get(string pattern, string expected, Func<BoundaryNode, string> path, string why) =>
        new("GET", pattern, expected, (n, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path(n))), why);

    private static MatrixRow Row(string method, string pattern, string expected, Func<BoundaryNode, MatrixRole, HttpRequestMessage> request, string why) =>
        new(method, pattern, expected, (n, r) => Task.FromResult(request(n, r)), why);

    private static MatrixRow Row(string method, string pattern, string expected, Func<BoundaryNode, MatrixRole, Task<HttpRequestMessage>> request, string why) =>
        new(method, pattern, expected, request, why);

    private static HttpRequestMessage Json(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage Text(string path, string body) => new(HttpMethod.Post, path) { Content = new StringContent(body) };

    private static HttpRequestMessage Form(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };

    private static HttpRequestMessage Post(string path) => new(HttpMethod.Post, path);
}
