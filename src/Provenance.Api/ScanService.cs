using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Records;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// Decides a scan's verdict. The MAC is checked first, without touching the database, so forged codes cost nothing
/// and reveal nothing; then issuance, then sealing. Thread-safe.
/// </summary>
public sealed class ScanService(CodeAuthenticator codes, TagStore tags, SealStore seals, ScanRecorder recorder, TimeProvider time)
{
    public ScanResult Scan(DigitalLink link, string? scanner)
    {
        ArgumentNullException.ThrowIfNull(link);
        var now = time.GetUtcNow();
        var verification = codes.Verify(link);
        if (!verification.IsAuthentic || link.Gtin is null || link.Serial is null)
        {
            return Result(ScanVerdict.Counterfeit, now);
        }

        var gtin = link.Gtin.Value.Value;
        var code = new ScannedCode(gtin, link.Serial, link.Lot);
        var tag = tags.Find(gtin, link.Serial);
        if (tag is null)
        {
            recorder.Record(new ScanRecord(gtin, link.Serial, now, ScanVerdicts.Name(ScanVerdict.Unknown), null, null, null, scanner));
            return Result(ScanVerdict.Unknown, now) with { Code = code };
        }

        var product = new ProductInfo(gtin, tag.ProductName, tag.Brand);
        code = code with { Lot = tag.Lot };
        var seal = seals.FindByTag(gtin, link.Serial);
        var verdict = seal is null ? ScanVerdict.NotSealed : ScanVerdict.Authentic;
        recorder.Record(new ScanRecord(gtin, link.Serial, now, ScanVerdicts.Name(verdict), null, null, null, scanner));
        if (seal is null)
        {
            return Result(verdict, now) with { Code = code, Product = product };
        }

        var attestation = JsonSerializer.Deserialize(seal.AttestationJson, RecordJsonContext.Default.OriginAttestation);
        return Result(verdict, now) with
        {
            Code = code,
            Product = product,
            Origin = new OriginInfo(seal.SiteId, seal.SiteName, seal.GatewayId, seal.Line, seal.SealedAt, seal.SealType, attestation),
            Ledger = seal.LedgerTransactionId is { } txId
                ? new LedgerProof("fabric", seal.EventId, null, null) { TxId = txId, BlockNumber = seal.LedgerBlockNumber }
                : new LedgerProof("embedded", seal.EventId, seal.LedgerIndex, seal.LedgerHash is null ? null : Convert.ToHexStringLower(seal.LedgerHash)),
        };
    }

    /// <summary>The answer for a path that is not a valid code at all: indistinguishable from a forged one.</summary>
    public ScanResult Malformed() => Result(ScanVerdict.Counterfeit, time.GetUtcNow());

    private static ScanResult Result(ScanVerdict verdict, DateTimeOffset now) =>
        new() { Verdict = ScanVerdicts.Name(verdict), Message = ScanVerdicts.Sentence(verdict), ScannedAt = now };
}
