using System.Globalization;
using Provenance.Api.Rewards;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Analytics;

/// <summary>Builds the <see cref="CampaignReport"/> from the campaign and redemption stores.</summary>
public static class CampaignAnalytics
{
    public static CampaignReport Report(CampaignStore campaigns, RedemptionStore redemptions, TimeZoneInfo zone, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(redemptions);
        ArgumentNullException.ThrowIfNull(zone);
        var hours = redemptions.CountPerHour(since).ToLookup(r => r.CampaignId, StringComparer.Ordinal);
        var states = campaigns.List().Select(c =>
        {
            var definition = CampaignDefinition.FromJson(c.DefinitionJson);
            var totals = campaigns.Totals(c.Id);
            var perDay = hours[c.Id]
                .GroupBy(h => LocalDay(h.Hour, zone))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new CampaignDay(g.Key, g.Sum(h => h.Count), g.Where(h => h.Status == RedemptionStatus.Held).Sum(h => h.Count)))
                .ToList();
            return new CampaignState(
                c.Id, definition.Name ?? c.Id, definition.Kind ?? "points", definition.Currency, c.Budget, c.Reserved, totals.ApprovedAmount,
                totals.ByStatus.TryGetValue(RedemptionStatus.Held, out var held) ? held : 0, totals.ByStatus, perDay, c.StartsAt, c.EndsAt);
        }).ToList();
        return new CampaignReport(zone.Id, states);
    }

    private static string LocalDay(string utcHour, TimeZoneInfo zone)
    {
        var hour = DateTimeOffset.ParseExact(utcHour, "yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return TimeZoneInfo.ConvertTime(hour, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
