using System.Globalization;
using Microsoft.Extensions.Options;
using Provenance.Api.Distribution;
using Provenance.Core.Verdicts;
using Provenance.Storage;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Rewards;

/// <summary>One reason a redemption looks farmed: a stable code, its weight in the score, and what was seen.</summary>
public sealed record RiskReason(string Code, int Weight, string Detail);

/// <summary>A redemption's risk: the score (0–100, the sum of the reasons' weights, capped) and its reasons.</summary>
public sealed record RiskAssessment(int Score, IReadOnlyList<RiskReason> Reasons);

/// <summary>Who claims, from where, with what: the facts a redemption is scored on.</summary>
public sealed record RedemptionContext(string Gtin, string Serial, string UserId, string? DeviceId, string? Network, string? UserAgent, ScanLocation Location, DateTimeOffset Now);

/// <summary>
/// The anti-farming score of a redemption. Windows of the last hour (per device, per network, per user agent) live in
/// this instance's memory; how many codes one user id redeemed, whether the bottle reached trade and where it was
/// shipped come from the database, so they survive restarts. Thread-safe.
/// </summary>
public sealed class RewardRisk(IOptions<RewardOptions> options, RedemptionStore redemptions, ShipmentStore shipments, ScanStore scans)
{
    public const string DeviceVelocity = "device_velocity";
    public const string NetworkVelocity = "network_velocity";
    public const string ManyCodesOneIdentity = "many_codes_one_identity";
    public const string BeforeSellThrough = "before_sell_through";
    public const string FarFromRegion = "far_from_region";
    public const string ScriptedClient = "scripted_client";
    public const string RegularIntervals = "regular_intervals";
    public const string SharedUserAgent = "shared_user_agent";

    private static readonly string[] ScriptAgents =
        ["curl/", "wget/", "python", "go-http-client", "okhttp", "java/", "node-fetch", "axios/", "undici", "postmanruntime", "headlesschrome", "phantomjs", "scrapy", "httpclient", "libwww"];

    private readonly RiskWindows _windows = new(TimeSpan.FromHours(1));

    /// <summary>Scores <paramref name="c"/> and records it in this instance's windows.</summary>
    public RiskAssessment Assess(RedemptionContext c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var o = options.Value;
        var reasons = new List<RiskReason>();
        var regular = new List<string>();

        if (c.DeviceId is not null)
        {
            var (times, _) = _windows.Observe("device:" + c.DeviceId, c.UserId, c.Now);
            if (times.Count >= o.DevicePerHour)
            {
                reasons.Add(new(DeviceVelocity, 30, Invariant($"{times.Count + 1} redemptions from this device within an hour")));
            }

            Regular(times, "device", regular, c.Now);
        }

        if (c.Network is not null)
        {
            var (times, users) = _windows.Observe("net:" + c.Network, c.UserId, c.Now);
            if (times.Count >= o.NetworkPerHour)
            {
                reasons.Add(new(NetworkVelocity, 30, Invariant($"{times.Count + 1} redemptions from network {c.Network} within an hour, by {users} user id(s)")));
            }

            Regular(times, "network", regular, c.Now);
        }

        var agent = string.IsNullOrWhiteSpace(c.UserAgent) ? null : c.UserAgent.Trim();
        if (agent is null)
        {
            reasons.Add(new(ScriptedClient, 35, "no User-Agent: not a phone's browser or app"));
        }
        else if (ScriptAgents.FirstOrDefault(s => agent.Contains(s, StringComparison.OrdinalIgnoreCase)) is { } script)
        {
            reasons.Add(new(ScriptedClient, 35, $"User-Agent of a script or headless client ({script.TrimEnd('/')})"));
        }

        var (agentTimes, agentUsers) = _windows.Observe("ua:" + (agent ?? string.Empty), c.UserId, c.Now);
        if (agentUsers >= o.IdentitiesPerUserAgent)
        {
            reasons.Add(new(SharedUserAgent, 20, Invariant($"the same User-Agent for {agentUsers} user ids within an hour")));
        }

        Regular(agentTimes, "user agent", regular, c.Now);
        if (regular.Count > 0)
        {
            reasons.Add(new(RegularIntervals, 25, $"redemptions at machine-regular intervals (same {string.Join(", ", regular)})"));
        }

        var codes = redemptions.CountForUserSince(c.UserId, c.Now.AddDays(-1));
        if (codes >= o.CodesPerIdentityPerDay)
        {
            reasons.Add(new(ManyCodesOneIdentity, 35, Invariant($"{codes + 1} inner codes redeemed by this user id within a day")));
        }

        var shipment = shipments.FindForTag(c.Gtin, c.Serial);
        if (!scans.History(c.Gtin, c.Serial).Any(s => s.LocationSource == "distributor"))
        {
            reasons.Add(new(BeforeSellThrough, 30, shipment is null
                ? "the bottle was never shipped to a distributor: it cannot have been sold yet"
                : $"the bottle was shipped to {shipment.DistributorId} but never received in trade"));
        }

        if (shipment is not null && RegionDto.FromJson(shipment.RegionJson).TryBuild(out _) is { } region && c.Location.IsKnown && region.Contains(c.Location) == false)
        {
            var away = c.Location.Point is { } p && region.Polygons.Count > 0
                ? Invariant($", {region.Polygons.Min(g => g.DistanceToMeters(p)) / 1000:0} km from the centre of its region")
                : string.Empty;
            reasons.Add(new(FarFromRegion, 25, $"redeemed outside the region of {shipment.DistributorId}, the distributor it was shipped to{away}"));
        }

        return new RiskAssessment(Math.Min(100, reasons.Sum(r => r.Weight)), reasons);
    }

    /// <summary>Six or more attempts whose gaps vary by under a tenth of their mean: a timer, not people.</summary>
    private static void Regular(IReadOnlyList<DateTimeOffset> before, string what, List<string> regular, DateTimeOffset now)
    {
        if (before.Count < 5)
        {
            return;
        }

        var times = before.Skip(before.Count - 5).Append(now).ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        var mean = gaps.Average();
        var spread = Math.Sqrt(gaps.Average(g => (g - mean) * (g - mean)));
        if (mean >= 0.5 && spread < mean * 0.1)
        {
            regular.Add(what);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
