using System.ComponentModel.DataAnnotations;

namespace Provenance.Host.Composition;

/// <summary>Node-wide settings, section <c>Provenance</c>.</summary>
public sealed class ProvenanceOptions : IValidatableObject
{
    public const string Section = "Provenance";

    /// <summary>Where the SQLite database, the node key and the code keys live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>What this process does: <c>ingestion</c>, <c>api</c>, <c>sinks</c>, comma-separated; empty for all (<see cref="NodeRoles"/>).</summary>
    public string? Roles { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!NodeRoleList.TryParse(Roles, out _, out var error))
        {
            yield return new ValidationResult(error, [nameof(Roles)]);
        }
    }
}
