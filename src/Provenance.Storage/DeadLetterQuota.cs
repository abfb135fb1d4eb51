using System.ComponentModel.DataAnnotations;

namespace Provenance.Storage;

/// <summary>
/// Bounds on the dead-letter store, bound from configuration section <c>DeadLetters</c>: what one rejected message
/// keeps of its bytes, and how much the store may hold in total and per gateway. Beyond a bound the oldest dead
/// letters (of that gateway, then of anyone) are pruned, and counted.
/// </summary>
public sealed class DeadLetterQuota
{
    public const string Section = "DeadLetters";

    /// <summary>The original bytes kept per rejected message, at most (the rest is cut; the original length is kept).</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>The whole dead-letter store, at most (payloads plus reasons).</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long MaxTotalBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>What the rejected messages of one gateway (or of no identifiable gateway) may occupy, at most.</summary>
    [Range(64 * 1024, long.MaxValue)]
    public long MaxBytesPerGateway { get; set; } = 32L * 1024 * 1024;

    /// <summary>Readiness reports the store as near its quota from this share of <see cref="MaxTotalBytes"/> on.</summary>
    [Range(1, 100)]
    public int NearQuotaPercent { get; set; } = 80;
}
