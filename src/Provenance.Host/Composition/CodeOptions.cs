using System.ComponentModel.DataAnnotations;

namespace Provenance.Host.Composition;

/// <summary>How codes are issued, section <c>Codes</c>.</summary>
public sealed class CodeOptions
{
    public const string Section = "Codes";

    /// <summary>The producer's resolver host printed in every QR (e.g. <c>id.example.com</c>).</summary>
    [Required]
    public string Domain { get; set; } = "id.example.com";

    /// <summary><c>https</c> in production; the demo uses <c>http</c> on the local scan address.</summary>
    [RegularExpression("^https?$", ErrorMessage = "Codes:Scheme must be http or https")]
    public string Scheme { get; set; } = "https";

    /// <summary>Optional MAC keys by id (base64, 32 bytes) supplied by a secret store; when empty, <c>code-keys.json</c> in the data directory is used (created on first start).</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key id new codes are signed with, when <see cref="Keys"/> is given.</summary>
    public int CurrentKeyId { get; set; } = 1;
}
