namespace Provenance.Ingestion.IotHub;

/// <summary>
/// The property bag at the end of an IoT Hub device-to-cloud topic: url-encoded <c>k=v&amp;…</c> pairs, application
/// properties (such as <c>kind</c>) and system properties (<c>$.mid</c>, <c>$.ct</c>, <c>$.ce</c>, …). Bounded.
/// </summary>
public static class IotHubPropertyBag
{
    private const int MaxProperties = 64;

    /// <summary>The properties; the first of a repeated name wins, pairs without '=' are names with an empty value.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string bag)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(bag))
        {
            return properties;
        }

        foreach (var pair in bag.Split('&', MaxProperties + 1).Take(MaxProperties))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (name.Length > 0)
            {
                properties.TryAdd(name, value);
            }
        }

        return properties;
    }
}
