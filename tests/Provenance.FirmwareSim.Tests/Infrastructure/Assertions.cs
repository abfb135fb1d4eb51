using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>Shared checks on what a broker or subscriber received.</summary>
public static class Assertions
{
    /// <summary>Seal event sequence numbers, in arrival order, are strictly increasing.</summary>
    public static void StrictlyIncreasingSequence(IReadOnlyList<SealEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Sequence > events[i - 1].Sequence, $"seq {events[i].Sequence} arrived after {events[i - 1].Sequence}");
        }
    }

    /// <summary>Counts seal events seen so far in a message log (for waits).</summary>
    public static int SealEventCount(IReadOnlyList<ReceivedMessage> messages) =>
        messages.Where(m => m.IsSeal).Sum(m => Messages.Seal(m).Events.Count);
}
