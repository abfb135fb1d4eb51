using System.Text.Json.Serialization;

namespace Provenance.Api.Rewards;

/// <summary>
/// A consumer's claim (<c>POST /rewards/redeem</c>): the inner code's URL exactly as scanned from under the cap, the
/// producer's opaque id of the person (from its app or mini-program, e.g. a WeChat openid or a hash of it), the
/// device's id, optionally the browser's location and the campaign to redeem in (else the first running campaign that
/// covers the bottle).
/// </summary>
public sealed record RedeemRequest(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("deviceId")] string? DeviceId,
    [property: JsonPropertyName("lat")] double? Lat = null,
    [property: JsonPropertyName("lon")] double? Lon = null,
    [property: JsonPropertyName("acc")] double? Acc = null,
    [property: JsonPropertyName("campaignId")] string? CampaignId = null)
{
    public const int MaxIdLength = 128;

    /// <summary>Problems with the claimant's fields (not the code: any code gets an answer), by field.</summary>
    public Dictionary<string, string[]> Check()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(Code) || Code.Length > 2048)
        {
            errors["code"] = ["required: the URL read from the QR code under the cap"];
        }

        if (string.IsNullOrWhiteSpace(UserId) || UserId.Length > MaxIdLength || UserId.Any(char.IsControl))
        {
            errors["userId"] = [$"required: the app's opaque id of the person, at most {MaxIdLength} characters"];
        }

        if (DeviceId is not null && (DeviceId.Length is 0 or > MaxIdLength || DeviceId.Any(char.IsControl)))
        {
            errors["deviceId"] = [$"at most {MaxIdLength} characters, or left out"];
        }

        if ((Lat is null) != (Lon is null) || Lat is < -90 or > 90 || Lon is < -180 or > 180 || Acc is < 0)
        {
            errors["lat"] = ["lat (-90..90) and lon (-180..180) come together; acc is metres, not negative"];
        }

        return errors;
    }
}
