namespace Provenance.Host.Composition;

/// <summary>
/// What one <c>serve</c> process does (<c>Provenance:Roles</c>, a comma-separated list; empty: all three). At scale,
/// many <see cref="Ingestion"/> instances share the broker's subscription, many <see cref="Api"/> instances answer
/// scans, and one instance runs the <see cref="Sinks"/>.
/// </summary>
[Flags]
public enum NodeRoles
{
    None = 0,

    /// <summary>The broker (embedded) or the broker subscription (external), verification, the durable commit.</summary>
    Ingestion = 1,

    /// <summary>The scan API, the partner API, the pages and the scan recorder. Never touches the broker.</summary>
    Api = 2,

    /// <summary>The journal's readers: the ledger sink and the InfluxDB sink.</summary>
    Sinks = 4,

    All = Ingestion | Api | Sinks,
}

/// <summary>Reads <c>Provenance:Roles</c>.</summary>
public static class NodeRoleList
{
    public const string Key = "Provenance:Roles";

    /// <summary>Parses a list such as <c>ingestion,sinks</c>; empty or missing means <see cref="NodeRoles.All"/>.</summary>
    public static bool TryParse(string? text, out NodeRoles roles, out string? error)
    {
        roles = NodeRoles.None;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            roles = NodeRoles.All;
            return true;
        }

        foreach (var word in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var role = word.ToLowerInvariant() switch
            {
                "ingestion" => NodeRoles.Ingestion,
                "api" => NodeRoles.Api,
                "sinks" => NodeRoles.Sinks,
                "all" => NodeRoles.All,
                _ => NodeRoles.None,
            };
            if (role == NodeRoles.None)
            {
                error = $"{Key}: unknown role '{word}'; use ingestion, api and/or sinks (comma-separated), or leave it empty for all three";
                roles = NodeRoles.None;
                return false;
            }

            roles |= role;
        }

        return true;
    }

    /// <summary>The roles in <paramref name="configuration"/>; all three when the setting is invalid (start-up validation reports it).</summary>
    public static NodeRoles From(IConfiguration configuration) =>
        TryParse(configuration[Key], out var roles, out _) ? roles : NodeRoles.All;
}
