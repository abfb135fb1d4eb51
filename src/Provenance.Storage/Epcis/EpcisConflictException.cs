namespace Provenance.Storage.Epcis;

/// <summary>An event id that is already stored with different content: the second event is refused.</summary>
public sealed class EpcisConflictException(string eventId)
    : Exception($"event {eventId} is already recorded with different content; an event id names one event only")
{
    public string EventId { get; } = eventId;
}
