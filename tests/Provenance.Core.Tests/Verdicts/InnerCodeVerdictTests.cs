using Provenance.Core.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Core.Tests.Verdicts;

/// <summary>What an opening by the inner code means for later scans of the outer code: opened for a consumer, a suspected refill once trade handles the bottle again.</summary>
public sealed class InnerCodeVerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly VerdictPolicy Policy = new();
    private static readonly ScanLocation Warehouse = new(LocationSource.Distributor, new GeoPoint(23.13, 113.26), 50);

    private static VerdictInput OpenedBy(string source, TimeSpan ago, params PastScan[] history) =>
        new(true, Now) { Tag = new TagFacts(true, true) { Opened = new OpenedFacts(Now - ago, source) }, Scanner = "me", History = history };

    [Fact]
    public void A_consumer_scan_long_after_the_inner_code_opened_the_bottle_is_still_opened_not_a_clone()
    {
        var decision = VerdictEngine.Decide(OpenedBy(OpenedFacts.InnerCode, TimeSpan.FromDays(30)), Policy);
        var byNfc = VerdictEngine.Decide(OpenedBy("nfc", TimeSpan.FromDays(30)), Policy);

        Assert.Equal(ScanVerdict.Opened, decision.Verdict);
        Assert.Equal([VerdictReasons.InnerCodeScanned], decision.Reasons);
        Assert.Equal(ScanVerdict.SuspectClone, byNfc.Verdict);
    }

    [Fact]
    public void A_warehouse_receipt_after_the_opening_makes_the_bottle_a_suspected_refill()
    {
        var receipt = new PastScan(Now.AddHours(-1), Warehouse, null);

        var decision = VerdictEngine.Decide(OpenedBy(OpenedFacts.InnerCode, TimeSpan.FromDays(2), receipt), Policy);

        Assert.Equal(ScanVerdict.SuspectRefill, decision.Verdict);
        Assert.Equal([VerdictReasons.InTradeAfterOpened, VerdictReasons.InnerCodeScanned], decision.Reasons);
        Assert.Equal("verdict.suspect_refill.in_trade_after_opened", decision.SentenceKey);
    }

    [Fact]
    public void A_warehouse_receipt_before_the_opening_is_the_normal_path_of_a_bottle()
    {
        var receipt = new PastScan(Now.AddDays(-5), Warehouse, null);

        var decision = VerdictEngine.Decide(OpenedBy(OpenedFacts.InnerCode, TimeSpan.FromDays(2), receipt), Policy);

        Assert.Equal(ScanVerdict.Opened, decision.Verdict);
    }

    [Fact]
    public void A_consumer_scan_after_the_opening_is_not_trade()
    {
        var consumer = new PastScan(Now.AddHours(-1), new ScanLocation(LocationSource.Browser, new GeoPoint(23.13, 113.26), 20), "someone");

        Assert.Equal(ScanVerdict.Opened, VerdictEngine.Decide(OpenedBy(OpenedFacts.InnerCode, TimeSpan.FromDays(2), consumer), Policy).Verdict);
    }
}
