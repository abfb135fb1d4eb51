namespace Provenance.Host.Tests.Boundary;

/// <summary>The reward campaign the matrix reaches campaign routes through, and the settings campaigns need.</summary>
public sealed partial class BoundaryNode
{
    /// <summary>A redemption id that exists in no campaign.</summary>
    public const string NoRedemption = "00000000000000000000000000000000";

    private readonly SemaphoreSlim _campaignLock = new(1, 1);
    private string? _campaign;

    /// <summary>Campaigns refuse to start without somewhere to send payouts; nothing is approved here, so nothing is ever sent.</summary>
    private static readonly Dictionary<string, string?> RewardSettings = new()
    {
        ["Rewards:PayoutUrl"] = "http://127.0.0.1:9/payouts",
        ["Rewards:PayoutSecret"] = "matrix-payout-secret-0123",
    };

    /// <summary>A valid campaign body with id <paramref name="id"/>.</summary>
    public static object Campaign(string id) => new
    {
        id,
        name = "Matrix",
        kind = "points",
        budget = 1000,
        tiers = new[] { new { amount = 10 } },
        startsAt = "2026-01-01T00:00:00+08:00",
        endsAt = "2027-01-01T00:00:00+08:00",
        gtins = new[] { Gtin },
    };

    /// <summary>The id of a campaign the admin created (once).</summary>
    public async Task<string> CampaignAsync()
    {
        await _campaignLock.WaitAsync();
        try
        {
            _campaign ??= (await PostAsync(Admin, "/api/campaigns", Campaign("matrix-campaign"))).GetProperty("definition").GetProperty("id").GetString();
            return _campaign!;
        }
        finally
        {
            _campaignLock.Release();
        }
    }
}
