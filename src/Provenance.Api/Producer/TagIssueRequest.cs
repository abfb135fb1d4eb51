using Provenance.Core.Qr;

namespace Provenance.Api.Producer;

/// <summary>
/// What to issue: product, lot, how many, the resolver host and scheme in the URLs, and where the labels go (none: register
/// only); <see cref="Inner"/> also issues each bottle's inner (under-cap) code, written to separate files.
/// </summary>
public sealed record TagIssueRequest(string Gtin, string? Lot, int Count, string Authority, string Scheme = "https", string? OutputDirectory = null, bool Images = true, QrOptions? Qr = null)
{
    /// <summary>Also issue the paired inner codes: <c>batch-{id}-inner.csv</c> and QR images under <c>inner/</c>.</summary>
    public bool Inner { get; init; }
}

/// <summary>An issued batch: its id, how many codes, the CSV written, and the first few URLs.</summary>
public sealed record IssuedBatch(long BatchId, string Gtin, string? Lot, int Count, string? CsvPath, IReadOnlyList<string> SampleUrls)
{
    /// <summary>The inner codes' printer CSV (same columns, same order as <see cref="CsvPath"/>), when inner codes were issued.</summary>
    public string? InnerCsvPath { get; init; }
}
