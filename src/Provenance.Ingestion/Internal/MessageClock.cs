namespace Provenance.Ingestion.Internal;

/// <summary>
/// The window a gateway's timestamps must fall in: no older than <see cref="IngestionOptions.MaxMessageAge"/> (a replay
/// of an old signed message is <c>stale</c>) and no further ahead than <see cref="IngestionOptions.MaxClockSkew"/>
/// (<c>future</c>). Thread-safe.
/// </summary>
internal sealed class MessageClock(IngestionOptions options, TimeProvider time)
{
    public bool TryCheck(DateTimeOffset at, string what, out string reasonCode, out string reason)
    {
        var now = time.GetUtcNow();
        if (at < now - options.MaxMessageAge)
        {
            (reasonCode, reason) = (ReasonCodes.Stale, $"{what} {at:O} is older than Ingestion:MaxMessageAge ({options.MaxMessageAge}) before now ({now:O})");
            return false;
        }

        if (at > now + options.MaxClockSkew)
        {
            (reasonCode, reason) = (ReasonCodes.Future, $"{what} {at:O} is later than Ingestion:MaxClockSkew ({options.MaxClockSkew}) after now ({now:O}); check the gateway's clock");
            return false;
        }

        reasonCode = reason = string.Empty;
        return true;
    }
}
