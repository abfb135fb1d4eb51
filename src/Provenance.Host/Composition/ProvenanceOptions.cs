using System.ComponentModel.DataAnnotations;

namespace Provenance.Host.Composition;

/// <summary>Node-wide settings, section <c>Provenance</c>.</summary>
public sealed class ProvenanceOptions
{
    public const string Section = "Provenance";

    /// <summary>Where the SQLite database, the node key and the code keys live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";
}
