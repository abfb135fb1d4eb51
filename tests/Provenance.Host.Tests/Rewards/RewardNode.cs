using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Rewards;

/// <summary>
/// A node running reward campaigns, set up as a producer would: paired codes issued with <c>tags issue --inner</c> in
/// three lots (F1: 500 bottles for the farming scenario, B1: 50 for the budget race, M1: bottles for the other tests,
/// one each), every outer code sealed over MQTT by the real gateway simulator, and payouts going to a real
/// <see cref="PayoutReceiver"/>. Clients are told apart by X-Forwarded-For from the test, a trusted (loopback) proxy.
/// </summary>
public sealed class RewardNode : IAsyncLifetime
{
    public const int Farmed = 500;
    public const int Raced = 50;
    public const int Misc = 12;
    public const int Analytics = 3;

    public const string MiscCampaign = "misc";

    private readonly SemaphoreSlim _miscLock = new(1, 1);
    private bool _misc;
    private int _clients;

    public ProvenanceNode Node { get; } = new();

    public PayoutReceiver Payouts { get; private set; } = null!;

    public string ProducerKey { get; private set; } = string.Empty;

    public CodeKeyRing Keys { get; private set; } = null!;

    /// <summary>Outer and inner URLs by lot, in the same order.</summary>
    public IReadOnlyDictionary<string, (IReadOnlyList<string> Outer, IReadOnlyList<string> Inner)> Lots { get; private set; } =
        new Dictionary<string, (IReadOnlyList<string>, IReadOnlyList<string>)>();

    public async Task InitializeAsync()
    {
        Payouts = await PayoutReceiver.StartAsync();
        var gateway = await Node.SetUpAsync();
        var lots = new Dictionary<string, (IReadOnlyList<string>, IReadOnlyList<string>)>();
        foreach (var (lot, count) in new[] { ("F1", Farmed), ("B1", Raced), ("M1", Misc), ("A1", Analytics) })
        {
            var dir = Path.Combine(Node.WorkDirectory, "labels-" + lot);
            await Node.CliAsync("tags", "issue", "--gtin", ProvenanceNode.Gtin, "--lot", lot, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--out", dir, "--domain", Node.Authority, "--scheme", "http", "--inner", "--no-images");
            lots[lot] = (Urls(Directory.GetFiles(dir, "batch-*.csv").Single(f => !f.EndsWith("-inner.csv", StringComparison.Ordinal))), Urls(Directory.GetFiles(dir, "batch-*-inner.csv").Single()));
        }

        Lots = lots;
        Keys = CodeKeyFile.Load(Node.DataDirectory, new CodeOptions());
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync(ProvenanceNode.TrustLoopbackProxy, $"--Rewards:PayoutUrl={Payouts.Url}", $"--Rewards:PayoutSecret={PayoutReceiver.Secret}",
            "--Rewards:InitialBackoff=00:00:00.100", "--Rewards:PollInterval=00:00:00.200");
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunGnssOnlyAsync(Simulation.Options(Node, gateway, [], key), TimeSpan.FromSeconds(1.5));
        await Simulation.RunAsync(Simulation.Options(Node, gateway, [.. lots.Values.SelectMany(l => l.Item1)], key), TimeSpan.FromSeconds(120));
        await SealToVerdictTests.WaitForLedgerAsync(Node);
    }

    /// <summary>Creates a cash (CNY) campaign running now for lot <paramref name="lot"/> of the test GTIN.</summary>
    public async Task<string> CreateCampaignAsync(string id, string lot, long budget, object tiers, object? limits = null, object? region = null)
    {
        var body = new
        {
            id,
            name = "Campaign " + id,
            kind = "cash",
            currency = "CNY",
            budget,
            tiers,
            limits,
            startsAt = DateTimeOffset.UtcNow.AddHours(-1),
            endsAt = DateTimeOffset.UtcNow.AddDays(1),
            gtins = new[] { ProvenanceNode.Gtin },
            lots = new[] { lot },
            region,
        };
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/campaigns", ProducerKey, body);
        return id;
    }

    /// <summary>The campaign of lot M1 (¥0.88 each, at most 2 per person), created by the first test that needs it.</summary>
    public async Task MiscCampaignAsync()
    {
        await _miscLock.WaitAsync();
        try
        {
            if (!_misc)
            {
                await CreateCampaignAsync(MiscCampaign, "M1", budget: 10_000, tiers: new[] { new { amount = 88 } }, limits: new { perPerson = 2 });
                _misc = true;
            }
        }
        finally
        {
            _miscLock.Release();
        }
    }

    /// <summary>Redeems <paramref name="code"/> as a consumer's app would, from client address <paramref name="client"/>; returns the status and the answer's JSON.</summary>
    public async Task<(int Status, JsonElement Answer)> RedeemAsync(string code, string userId, string? deviceId, string client, string? userAgent, double? lat = null, double? lon = null, string? campaignId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rewards/redeem") { Content = JsonContent.Create(new { code, userId, deviceId, lat, lon, campaignId }) };
        request.Headers.Add("X-Forwarded-For", client);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await Node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A client address in a /24 no other call of this method returns, so that tests do not add to one another's network velocity.</summary>
    public string NextClient() => $"172.{16 + (Interlocked.Increment(ref _clients) / 250)}.{_clients % 250}.9";

    public Task<JsonElement> GetAsync(string path) => ApiCalls.JsonAsync(Node, HttpMethod.Get, path, ProducerKey);

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Payouts.DisposeAsync();
    }

    private static List<string> Urls(string csv) => File.ReadLines(csv).Skip(1).Select(l => l.Split(',')[0]).ToList();
}

/// <summary>The reward test classes share one <see cref="RewardNode"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RewardCollection : ICollectionFixture<RewardNode>
{
    public const string Name = "rewards";
}
