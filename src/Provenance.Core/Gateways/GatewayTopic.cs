namespace Provenance.Core.Gateways;

/// <summary>
/// An MQTT topic of the gateway protocol: <c>prov/v1/{site}/{gateway}/{kind}</c> with kind <c>gnss</c>,
/// <c>seal</c>, <c>pack</c> or <c>status</c>. Site and gateway ids are identifiers (<see cref="Identifier"/>).
/// </summary>
public readonly record struct GatewayTopic(string SiteId, string GatewayId, GatewayMessageKind Kind)
{
    public const string Prefix = "prov/v1/";

    /// <summary>The subscription filter that matches every gateway message.</summary>
    public const string AllMessagesFilter = "prov/v1/+/+/+";

    public override string ToString() => $"{Prefix}{SiteId}/{GatewayId}/{KindName(Kind)}";

    public static string KindName(GatewayMessageKind kind) => kind switch
    {
        GatewayMessageKind.Gnss => "gnss",
        GatewayMessageKind.Seal => "seal",
        GatewayMessageKind.Status => "status",
        GatewayMessageKind.Pack => "pack",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? topic, out GatewayTopic parsed, out string? error)
    {
        parsed = default;
        if (topic is null || !topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"topic '{topic}' is not under {Prefix}";
            return false;
        }

        var parts = topic[Prefix.Length..].Split('/');
        if (parts.Length != 3)
        {
            error = $"topic '{topic}' must be {Prefix}{{site}}/{{gateway}}/{{gnss|seal|pack|status}}";
            return false;
        }

        if (!Identifier.IsValid(parts[0]) || !Identifier.IsValid(parts[1]))
        {
            error = $"topic '{topic}' has an invalid site or gateway id";
            return false;
        }

        GatewayMessageKind? kind = parts[2] switch
        {
            "gnss" => GatewayMessageKind.Gnss,
            "seal" => GatewayMessageKind.Seal,
            "status" => GatewayMessageKind.Status,
            "pack" => GatewayMessageKind.Pack,
            _ => null,
        };
        if (kind is null)
        {
            error = $"topic '{topic}' has unknown message kind '{parts[2]}'";
            return false;
        }

        parsed = new GatewayTopic(parts[0], parts[1], kind.Value);
        error = null;
        return true;
    }
}
