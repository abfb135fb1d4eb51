using System.Globalization;
using Provenance.Api.Pages;
using Provenance.Core.Codes;

namespace Provenance.Api.Rewards;

/// <summary>Checks a campaign definition; every problem is reported against the field to fix (<c>tiers[1].probability</c>), as a 400's <c>errors</c>. Stateless.</summary>
public static class CampaignValidation
{
    public const int MaxTiers = 20;

    public static Dictionary<string, string[]> Check(CampaignDefinition d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];

        if (string.IsNullOrWhiteSpace(d.Id) || d.Id.Length > 64 || !d.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            Add("id", "required: 1 to 64 letters, digits, '-' or '_' (it appears in URLs)");
        }

        if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Length > 200)
        {
            Add("name", "required, at most 200 characters");
        }

        if (d.Kind is not (CampaignDefinition.Cash or CampaignDefinition.Points))
        {
            Add("kind", "must be \"cash\" (amounts in minor currency units, e.g. fen) or \"points\"");
        }
        else if (d.Kind == CampaignDefinition.Cash && (d.Currency is not { Length: 3 } || !d.Currency.All(char.IsAsciiLetterUpper)))
        {
            Add("currency", "a cash campaign needs an ISO 4217 currency code in capitals, e.g. CNY");
        }

        if (d.Budget is not > 0)
        {
            Add("budget", "required: a positive whole number in the campaign's unit (fen for CNY, or points)");
        }

        CheckTiers(d, Add);
        CheckLimits(d.Limits, Add);
        if (d.StartsAt is null)
        {
            Add("startsAt", "required: when redemptions open (ISO 8601 with offset, e.g. 2026-12-01T00:00:00+08:00)");
        }

        if (d.EndsAt is null)
        {
            Add("endsAt", "required: when redemptions close (ISO 8601 with offset)");
        }
        else if (d.StartsAt is { } s && d.EndsAt <= s)
        {
            Add("endsAt", "must be later than startsAt");
        }

        if (d.Gtins is not { Count: > 0 } gtins)
        {
            Add("gtins", "name at least one product GTIN that takes part");
        }
        else
        {
            for (var i = 0; i < gtins.Count; i++)
            {
                if (gtins[i] is null || !Gtin.TryParse(gtins[i], out _, out _))
                {
                    Add($"gtins[{i}]", "not a valid GTIN (8, 12, 13 or 14 digits with a correct check digit)");
                }
            }
        }

        for (var i = 0; i < (d.Lots?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(d.Lots![i]) || d.Lots[i].Length > 20)
            {
                Add($"lots[{i}]", "a lot is 1 to 20 characters");
            }
        }

        if (d.Region is { } region)
        {
            if (region.TryBuild(out var error) is null || (error = region.UnmatchableCodes()) is not null)
            {
                Add("region", error ?? "invalid region");
            }
        }

        if (d.TimeZone is not null && PageTime.FindZone(d.TimeZone) is null)
        {
            Add("timeZone", "an IANA time zone this machine knows, e.g. Asia/Shanghai");
        }

        return errors;
    }

    private static void CheckTiers(CampaignDefinition d, Action<string, string> add)
    {
        if (d.Tiers is not { Count: > 0 } tiers || tiers.Count > MaxTiers)
        {
            add("tiers", string.Create(CultureInfo.InvariantCulture, $"give 1 to {MaxTiers} tiers, each {{\"amount\": whole number, \"probability\": 0..1}} (one tier without a probability is a fixed reward)"));
            return;
        }

        double sum = 0;
        for (var i = 0; i < tiers.Count; i++)
        {
            var t = tiers[i];
            if (t is null)
            {
                add($"tiers[{i}]", "must be an object with amount and probability");
                continue;
            }

            if (t.Amount is not > 0)
            {
                add($"tiers[{i}].amount", "required: a positive whole number in the campaign's unit");
            }
            else if (d.Budget is > 0 && t.Amount > d.Budget)
            {
                add($"tiers[{i}].amount", "is larger than the whole budget, so it could never be paid");
            }

            if (t.Probability is { } p)
            {
                if (!double.IsFinite(p) || p is <= 0 or > 1)
                {
                    add($"tiers[{i}].probability", "must be more than 0 and at most 1");
                }
                else
                {
                    sum += p;
                }
            }
            else if (tiers.Count > 1)
            {
                add($"tiers[{i}].probability", "required when there is more than one tier");
            }

            if (t.Label is { Length: > 100 })
            {
                add($"tiers[{i}].label", "at most 100 characters");
            }
        }

        if (sum > 1 + 1e-9)
        {
            add("tiers", string.Create(CultureInfo.InvariantCulture, $"the probabilities add up to {sum:0.####}; they must add up to at most 1 (the rest is \"no prize\")"));
        }
    }

    private static void CheckLimits(CampaignLimits? limits, Action<string, string> add)
    {
        if (limits is null)
        {
            return;
        }

        foreach (var (name, value) in new[] { ("perPerson", limits.PerPerson), ("perPersonPerDay", limits.PerPersonPerDay), ("perDay", limits.PerDay) })
        {
            if (value is <= 0)
            {
                add($"limits.{name}", "must be a positive whole number, or left out for no limit");
            }
        }
    }
}
