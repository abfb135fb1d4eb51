using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Distribution;

/// <summary>Dealer custody, diversion grading and retailer rebates, configuration section <c>Custody</c>.</summary>
public sealed class CustodyOptions
{
    public const string Section = "Custody";

    /// <summary>What a retailer earns for scanning a case open (门店开箱), once per case; 0 turns rebates off.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal CaseRebateAmount { get; set; } = 10m;

    /// <summary>The ISO 4217 currency of the rebate.</summary>
    [RegularExpression("^[A-Z]{3}$", ErrorMessage = "Custody:CaseRebateCurrency is an ISO 4217 code such as CNY")]
    public string CaseRebateCurrency { get; set; } = "CNY";

    /// <summary>
    /// How many independent weak signals (consumer scans outside the region, from this many distinct bottles and
    /// distinct scanners) within <see cref="WeakSignalWindow"/> grade up to one moderate alert naming the dealer; 0 never.
    /// </summary>
    [Range(0, 1000)]
    public int WeakSignalsForModerate { get; set; } = 5;

    /// <summary>The window weak signals are counted in.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan WeakSignalWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At most this many bottle or case codes per scan-in or scan-out request.</summary>
    [Range(1, 100_000)]
    public int MaxCodesPerScan { get; set; } = 10_000;
}
