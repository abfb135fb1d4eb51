using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Api.Http;
using Provenance.Api.InnerCodes;
using Provenance.Api.Pages;
using Provenance.Core.Codes;
using Provenance.Core.Geo;
using Provenance.Core.Verdicts;
using Provenance.Storage;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Rewards;

/// <summary>
/// Redeems inner codes. The code is verified under the inner-code key first, without touching the database; a code
/// that fails, or verifies but was never issued, gets <see cref="RedeemAnswer.Invalid"/>, so trying codes teaches
/// nothing. A genuine code is matched to a running campaign (product, lot, region), scored for farming, drawn, and
/// claimed in one transaction (<see cref="RedemptionStore.Claim"/>); a stored claim is also a scan of the inner code,
/// so it records the bottle's opening (<see cref="InnerCodeScanService"/>) when no scan did before. The claimant (the same user id) asking again gets the same answer;
/// anyone else claiming a redeemed code is told so, and the bottle raises <c>suspect_refill</c>: its cap is in
/// someone else's hands after the reward was taken. Thread-safe.
/// </summary>
public sealed partial class RedemptionService(
    InnerCodeAuthenticator codes, InnerCodeScanService innerScans, ScannerIdentity scanners, TagStore tags, CampaignStore campaigns, RedemptionStore redemptions, RewardRisk risk, ShipmentStore shipments,
    AlertService alerts, PayoutDispatcher payouts, IOptions<RewardOptions> options, TimeProvider time, ILogger<RedemptionService> logger)
{
    /// <summary>The reason in a <c>suspect_refill</c> alert raised by a second claim of a redeemed inner code.</summary>
    public const string RewardClaimedAgain = "reward_claimed_again";

    private readonly ConcurrentDictionary<string, byte> _alerted = new(StringComparer.Ordinal);

    public RedeemAnswer Redeem(RedeemRequest request, IPAddress? client, string? userAgent, ScanLocation ipLocation)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ipLocation);
        var verification = codes.Verify(request.Code!);
        if (!verification.IsAuthentic || verification.Link is not { Gtin: not null, Serial: not null } link)
        {
            LogRefused(verification.Status);
            return RedeemAnswer.Invalid;
        }

        var gtin = link.Gtin.Value.Value;
        var tag = tags.Find(gtin, link.Serial);
        if (tag is null)
        {
            LogNotIssued(gtin, link.Serial);
            return RedeemAnswer.Invalid;
        }

        var now = time.GetUtcNow();
        var userId = request.UserId!;
        if (redemptions.FindForCode(gtin, link.Serial) is { } earlier)
        {
            return Again(earlier, request, client);
        }

        var location = request.Lat is { } lat && request.Lon is { } lon ? new ScanLocation(LocationSource.Browser, new GeoPoint(lat, lon), request.Acc) : ipLocation;
        var covering = campaigns.Running(now)
            .Select(c => (Stored: c, Definition: CampaignDefinition.FromJson(c.DefinitionJson)))
            .Where(c => c.Definition.Covers(gtin, tag.Lot) && (request.CampaignId is null || c.Stored.Id == request.CampaignId))
            .ToList();
        if (covering.Count == 0)
        {
            return RedeemAnswer.NoCampaign;
        }

        var placed = covering.Select(c => (c.Stored, c.Definition, In: c.Definition.HasRegion ? InRegion(c.Definition, location, ipLocation) : true)).ToList();
        var inRegion = placed.FirstOrDefault(c => c.In == true);
        if (inRegion.Stored is null)
        {
            return placed.Any(c => c.In == false) ? RedeemAnswer.OutsideRegion : RedeemAnswer.LocationNeeded;
        }

        var (campaign, definition, _) = inRegion;
        var network = client is null ? null : NetworkOf(client);
        var assessment = risk.Assess(new RedemptionContext(gtin, link.Serial, userId, request.DeviceId, network, userAgent, location, now));
        var tier = Draw(definition.Tiers!);
        var status = tier is null ? RedemptionStatus.NoPrize : assessment.Score >= options.Value.HoldScore ? RedemptionStatus.Held : RedemptionStatus.Approved;
        var coarse = location.Coarsened();
        var candidate = new StoredRedemption(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), campaign.Id, gtin, link.Serial, userId, request.DeviceId, network,
            userAgent is { Length: > 256 } ua ? ua[..256] : userAgent, coarse.Point?.Latitude, coarse.Point?.Longitude, coarse.Country,
            tier, tier is { } t ? definition.Tiers![t].Amount!.Value : 0, status, assessment.Score, JsonSerializer.Serialize(assessment.Reasons), now);
        var zone = Zone(definition);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var dayStart = new DateTimeOffset(local.Date, local.Offset);
        var limits = definition.Limits;
        var claim = redemptions.Claim(candidate, new ClaimLimits(limits?.PerPerson, limits?.PerPersonPerDay, limits?.PerDay, dayStart));
        switch (claim.Outcome)
        {
            case ClaimOutcome.Stored:
                var stored = claim.Redemption!;
                LogRedeemed(stored.Id, campaign.Id, stored.Status, stored.Score);

                // Claiming with the under-cap code is a scan of it: the bottle's opening when it is the first.
                innerScans.Scan(link, scanners.Of(client), location);
                if (stored.Status == RedemptionStatus.Approved)
                {
                    payouts.Wake();
                }

                return RedeemAnswer.For(stored, definition);
            case ClaimOutcome.AlreadyRedeemed:
                return Again(claim.Redemption!, request, client);
            case ClaimOutcome.BudgetExhausted:
                return RedeemAnswer.Exhausted;
            default:
                return RedeemAnswer.Limit(claim.Outcome);
        }
    }

    /// <summary>The network a client counts as: its IPv4 /24 or IPv6 /64, written as a prefix.</summary>
    public static string NetworkOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var network = ClientNetwork.Of(address)!;
        if (network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var bytes = network.GetAddressBytes();
            bytes[3] = 0;
            return new IPAddress(bytes) + "/24";
        }

        return network + "/64";
    }

    /// <summary>A redeemed code asked for again: the same answer for its claimant; for anyone else, "already claimed" and a refill suspicion.</summary>
    private RedeemAnswer Again(StoredRedemption earlier, RedeemRequest request, IPAddress? client)
    {
        var definition = campaigns.Find(earlier.CampaignId) is { } c ? CampaignDefinition.FromJson(c.DefinitionJson) : null;
        if (definition is not null && earlier.UserId == request.UserId)
        {
            return RedeemAnswer.For(earlier, definition);
        }

        if (_alerted.Count > 100_000)
        {
            _alerted.Clear(); // only spares duplicate alerts; forgetting costs at most a repeated one
        }

        if (_alerted.TryAdd($"{earlier.Gtin}/{earlier.Serial}/{request.UserId}", 0))
        {
            var owner = shipments.FindForTag(earlier.Gtin, earlier.Serial)?.DistributorId;
            alerts.Raise(AlertService.SuspectRefill, earlier.Gtin, earlier.Serial, owner, new
            {
                verdict = ScanVerdicts.Name(ScanVerdict.SuspectRefill),
                reasons = new[] { RewardClaimedAgain },
                redeemedAt = earlier.CreatedAt,
                redemptionId = earlier.Id,
                campaignId = earlier.CampaignId,
                owner,
                claimant = new { network = client is null ? null : NetworkOf(client), deviceId = request.DeviceId },
            });
            LogClaimedAgain(earlier.Gtin, earlier.Serial, earlier.Id);
        }

        return RedeemAnswer.Claimed(earlier, definition is null ? TimeZoneInfo.Utc : Zone(definition));
    }

    /// <summary>Whether the claim is in the campaign's region: by its own location, else (a browser point cannot be matched to a country code) by the IP's; null when neither tells.</summary>
    private static bool? InRegion(CampaignDefinition d, ScanLocation location, ScanLocation ipLocation)
    {
        var region = d.Region!.TryBuild(out _);
        return region?.Contains(location) ?? region?.Contains(ipLocation);
    }

    private static TimeZoneInfo Zone(CampaignDefinition d) => PageTime.FindZone(d.TimeZone ?? CampaignDefinition.DefaultTimeZone) ?? TimeZoneInfo.Utc;

    /// <summary>The tier drawn (uniform in [0, 1) against the cumulative probabilities), or null for "no prize"; a lone tier without a probability always wins.</summary>
    private static int? Draw(IReadOnlyList<RewardTier> tiers)
    {
        if (tiers is [{ Probability: null }])
        {
            return 0;
        }

        var roll = RandomNumberGenerator.GetInt32(int.MaxValue) / (double)int.MaxValue;
        double cumulative = 0;
        for (var i = 0; i < tiers.Count; i++)
        {
            cumulative += tiers[i].Probability ?? 0;
            if (roll < cumulative)
            {
                return i;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 9700, Level = LogLevel.Debug, Message = "Redemption refused: the inner code does not verify ({Status})")]
    private partial void LogRefused(CodeVerificationStatus status);

    [LoggerMessage(EventId = 9701, Level = LogLevel.Warning, Message = "Redemption of an inner code of {Gtin}/{Serial} that verifies but was never issued: a leaked code key or lost registry data")]
    private partial void LogNotIssued(string gtin, string serial);

    [LoggerMessage(EventId = 9702, Level = LogLevel.Information, Message = "Redemption {RedemptionId} in campaign {CampaignId}: {Status}, risk score {Score}")]
    private partial void LogRedeemed(string redemptionId, string campaignId, string status, int score);

    [LoggerMessage(EventId = 9703, Level = LogLevel.Warning, Message = "Reward of {Gtin}/{Serial} claimed again by someone else after redemption {RedemptionId}: suspect_refill raised")]
    private partial void LogClaimedAgain(string gtin, string serial, string redemptionId);
}
