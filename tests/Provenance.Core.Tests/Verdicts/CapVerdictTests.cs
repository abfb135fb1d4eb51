using Provenance.Core.Nfc;
using Provenance.Core.Verdicts;

namespace Provenance.Core.Tests.Verdicts;

/// <summary>How the verdict engine judges a tap of an NFC cap.</summary>
public sealed class CapVerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly VerdictPolicy Policy = new();

    private static VerdictDecision Tap(CapCounter counter, TamperStatus tamper, bool bound = true, TagFacts? tag = null) =>
        VerdictEngine.Decide(new VerdictInput(true, Now) { Tag = tag ?? new TagFacts(true, true), Cap = new CapFacts(counter, tamper, bound, 10), Scanner = "me" }, Policy);

    [Fact]
    public void A_fresh_tap_of_a_closed_loop_is_authentic_with_a_sealed_cap()
    {
        var decision = Tap(CapCounter.Fresh, TamperStatus.Closed);

        Assert.Equal(ScanVerdict.Authentic, decision.Verdict);
        Assert.Equal([VerdictReasons.SealedAtRegisteredLine, VerdictReasons.CapSealed], decision.Reasons);
    }

    [Theory]
    [InlineData(TamperStatus.Open, VerdictReasons.CapLoopOpen)]
    [InlineData(TamperStatus.WasOpened, VerdictReasons.CapLoopWasOpened)]
    public void An_open_or_once_opened_loop_is_opened(TamperStatus tamper, string reason)
    {
        var decision = Tap(CapCounter.Fresh, tamper);

        Assert.Equal(ScanVerdict.Opened, decision.Verdict);
        Assert.Equal([reason], decision.Reasons);
        Assert.Equal($"verdict.opened.{reason}", decision.SentenceKey);
    }

    [Theory]
    [InlineData(CapCounter.Replayed, VerdictReasons.CapMessageReplayed)]
    [InlineData(CapCounter.RolledBack, VerdictReasons.CapCounterRollback)]
    public void A_counter_that_did_not_move_forward_is_a_suspect_clone_even_with_a_closed_loop(CapCounter counter, string reason)
    {
        var decision = Tap(counter, TamperStatus.Closed);

        Assert.Equal(ScanVerdict.SuspectClone, decision.Verdict);
        Assert.Equal([reason], decision.Reasons);
    }

    [Fact]
    public void A_replayed_message_of_an_open_loop_lists_both_and_the_clone_wins()
    {
        var decision = Tap(CapCounter.Replayed, TamperStatus.Open);

        Assert.Equal(ScanVerdict.SuspectClone, decision.Verdict);
        Assert.Equal([VerdictReasons.CapMessageReplayed, VerdictReasons.CapLoopOpen], decision.Reasons);
    }

    [Fact]
    public void A_genuine_chip_never_bound_to_a_bottle_is_not_sealed()
    {
        var decision = VerdictEngine.Decide(new VerdictInput(true, Now) { Cap = new CapFacts(CapCounter.Fresh, TamperStatus.Closed, false, 3) }, Policy);

        Assert.Equal(ScanVerdict.NotSealed, decision.Verdict);
        Assert.Equal([VerdictReasons.CapNotBound], decision.Reasons);
    }

    [Theory]
    [InlineData(TamperStatus.Absent, VerdictReasons.CapVerified)]
    [InlineData(TamperStatus.NotInitialised, VerdictReasons.CapLoopNotArmed)]
    [InlineData(TamperStatus.Unreadable, VerdictReasons.CapLoopUnreadable)]
    public void Without_a_readable_loop_the_cap_is_authentic_but_not_called_sealed(TamperStatus tamper, string reason)
    {
        var decision = Tap(CapCounter.Fresh, tamper);

        Assert.Equal(ScanVerdict.Authentic, decision.Verdict);
        Assert.Equal([VerdictReasons.SealedAtRegisteredLine, reason], decision.Reasons);
    }

    [Fact]
    public void The_bottle_facts_still_apply_to_a_tap_a_recalled_bottle_with_a_sealed_cap_is_recalled()
    {
        var decision = Tap(CapCounter.Fresh, TamperStatus.Closed, tag: new TagFacts(true, true) { Recall = new RecallFacts(Now, "glass", true) });

        Assert.Equal(ScanVerdict.Recalled, decision.Verdict);
        Assert.DoesNotContain(VerdictReasons.CapSealed, decision.Reasons);
    }
}
