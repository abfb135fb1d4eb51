using Xunit.Abstractions;

namespace Provenance.Engines.Tests.Support;

/// <summary>The figures of one fault run: seal events sent, acknowledged to the gateway, stored, duplicated and lost.</summary>
internal sealed record StreamFigures(string Store, long Sent, long Acknowledged, long Stored, long Duplicated, long Lost)
{
    /// <summary>Compares the acknowledged event ids with what a store holds (a list, so that duplicates show).</summary>
    public static StreamFigures Of(string store, long sent, IReadOnlyCollection<string> acknowledged, IReadOnlyCollection<string> stored)
    {
        var distinct = stored.ToHashSet(StringComparer.Ordinal);
        return new StreamFigures(store, sent, acknowledged.Count, stored.Count, stored.Count - distinct.Count, acknowledged.Count(e => !distinct.Contains(e)));
    }

    public void WriteTo(ITestOutputHelper output) =>
        output.WriteLine($"[figures] {Store}: sent {Sent}, acknowledged {Acknowledged}, stored {Stored}, duplicated {Duplicated}, lost {Lost}");

    public void AssertExactlyOnce()
    {
        Assert.True(Duplicated == 0, $"{this}: duplicates");
        Assert.True(Lost == 0, $"{this}: acknowledged events lost");
        Assert.True(Acknowledged == Sent, $"{this}: not every event was acknowledged");
        Assert.True(Stored == Acknowledged, $"{this}: stored count differs from acknowledged count");
    }
}
