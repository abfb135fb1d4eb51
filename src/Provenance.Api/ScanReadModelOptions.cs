using System.ComponentModel.DataAnnotations;

namespace Provenance.Api;

/// <summary>The scan read model (<see cref="BottleReadModel"/>), configuration section <c>ScanReadModel</c>.</summary>
public sealed class ScanReadModelOptions
{
    public const string Section = "ScanReadModel";

    /// <summary>
    /// Most bottles whose verdict facts are kept in memory (a few KB each with a short scan history: tag, seal, parsed
    /// attestation, recent scans). 0 turns the read model off: every scan reads the database.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxBottles { get; set; } = 20_000;

    /// <summary>
    /// Longest a bottle's facts are served from memory before they are read again. Writes through this process drop
    /// the bottle at once; this bounds how late a write by another process on the same database is seen.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);
}
