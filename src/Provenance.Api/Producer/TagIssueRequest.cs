using Provenance.Core.Qr;

namespace Provenance.Api.Producer;

/// <summary>What to issue: product, lot, how many, the resolver host and scheme in the URLs, and where the labels go (none: register only).</summary>
public sealed record TagIssueRequest(string Gtin, string? Lot, int Count, string Authority, string Scheme = "https", string? OutputDirectory = null, bool Images = true, QrOptions? Qr = null);

/// <summary>An issued batch: its id, how many codes, the CSV written, and the first few URLs.</summary>
public sealed record IssuedBatch(long BatchId, string Gtin, string? Lot, int Count, string? CsvPath, IReadOnlyList<string> SampleUrls);
