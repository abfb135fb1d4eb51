using System.ComponentModel.DataAnnotations;

namespace Provenance.Host.Composition;

/// <summary>Secrets of the node, section <c>Security</c>.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "Security";

    /// <summary>
    /// The server secret (at least 32 random bytes, base64) from a secret store. It keys the API-key hashes, dashboard
    /// sessions and scanner ids, so replicas must share it. Empty: <c>server-secret.key</c> in the data directory,
    /// created with mode 0600 on first start.
    /// </summary>
    public string? ServerSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Storage.ServerSecret.IsValid(ServerSecret))
        {
            yield return new ValidationResult("Security:ServerSecret must be at least 32 random bytes, base64-encoded (e.g. openssl rand -base64 32)");
        }
    }
}
