namespace Provenance.Storage.Tests;

/// <summary>The notification payloads that carry bottle changes between instances: within pg_notify's limit, round-tripped, own ones ignored.</summary>
public sealed class TagChangeRelayPayloadTests
{
    private const string Me = "me";
    private const string Other = "other";

    [Fact]
    public void Bottles_round_trip_split_over_notifications_within_the_limit_and_a_senders_own_are_ignored()
    {
        var tags = Enumerable.Range(0, 500).Select(i => new TagKey("09506000134352", $"S{i:D6}-漢字")).ToList();
        var payloads = TagChangeRelay.Payloads(Other, new TagsChangedEventArgs(tags, All: false));

        Assert.True(payloads.Count > 1, "500 bottles do not fit one notification");
        Assert.All(payloads, p => Assert.True(System.Text.Encoding.UTF8.GetByteCount(p) < 8000, "pg_notify takes under 8000 bytes"));
        var received = payloads.SelectMany(p => TagChangeRelay.Parse(Me, p)!.Tags).ToList();
        Assert.Equal(tags, received);
        Assert.All(payloads, p => Assert.Null(TagChangeRelay.Parse(Other, p)));
    }

    [Fact]
    public void A_change_too_large_for_a_few_notifications_and_a_whole_lot_say_all()
    {
        var many = Enumerable.Range(0, 5000).Select(i => new TagKey("09506000134352", $"S{i:D8}")).ToList();
        var payload = Assert.Single(TagChangeRelay.Payloads(Other, new TagsChangedEventArgs(many, All: false)));
        Assert.True(TagChangeRelay.Parse(Me, payload)!.All);
        Assert.True(TagChangeRelay.Parse(Me, Assert.Single(TagChangeRelay.Payloads(Other, new TagsChangedEventArgs([], All: true))))!.All);
    }
}
