namespace Provenance.Fabric;

/// <summary>
/// Settings for a <see cref="Gateway"/>: the hash function, per-step timeouts and the retry policy for idempotent
/// steps. A plain class to bind from configuration; call <see cref="Validate"/> at start-up. Not thread-safe to mutate;
/// the gateway copies nothing, so do not change it after creating the gateway.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>Hashes the message to sign (proposal, transaction payload, requests). Default SHA-256.</summary>
    public Func<ReadOnlySpan<byte>, byte[]> Hash { get; set; } = Hashes.Sha256;

    /// <summary>Deadline of one Evaluate call. Default 5 s.</summary>
    public TimeSpan EvaluateTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one Endorse call. Default 15 s.</summary>
    public TimeSpan EndorseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Deadline of one Submit call. Default 5 s.</summary>
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one CommitStatus call (it waits for the block). Default 1 min.</summary>
    public TimeSpan CommitStatusTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Attempts for the idempotent steps (Evaluate, Endorse, CommitStatus) when the failure is transient. Submit is
    /// never retried automatically: its outcome is ambiguous, query the commit status instead. Default 3.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; doubled for each further one. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Hash is null)
        {
            throw new ArgumentException("GatewayOptions.Hash must be set (e.g. Hashes.Sha256).", nameof(Hash));
        }

        RequirePositive(EvaluateTimeout, nameof(EvaluateTimeout));
        RequirePositive(EndorseTimeout, nameof(EndorseTimeout));
        RequirePositive(SubmitTimeout, nameof(SubmitTimeout));
        RequirePositive(CommitStatusTimeout, nameof(CommitStatusTimeout));
        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"GatewayOptions.MaxAttempts must be at least 1; got {MaxAttempts}.", nameof(MaxAttempts));
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"GatewayOptions.RetryDelay must not be negative; got {RetryDelay}.", nameof(RetryDelay));
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"GatewayOptions.{name} must be positive; got {value}.", name);
        }
    }
}
