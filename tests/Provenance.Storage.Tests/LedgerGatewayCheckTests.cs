using Provenance.Core.Gateways;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary><see cref="LedgerVerifier"/> checks each record against the gateway message it came in, and fails closed on what it cannot check.</summary>
public sealed class LedgerGatewayCheckTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 6, blockSize: 3);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_missing_gateway_row_is_a_failure_not_a_skip()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "DELETE FROM gateways WHERE id = 'g1'");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.False(result.IsIntact);
        Assert.Equal(6, result.Problems.Count(p => p.Kind == "unknown_gateway"));
    }

    [Fact]
    public void A_missing_gateway_message_is_a_failure()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "DELETE FROM messages WHERE id = (SELECT message_id FROM ledger WHERE idx = 4)");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Index == 4 && p.Kind == "missing_message");
    }

    [Fact]
    public void A_gateway_key_replaced_in_the_registry_fails_the_gateway_signatures()
    {
        var copy = _fixture.Copy();
        using var other = Provenance.Core.Signing.GatewayKeys.Create();
        // The registry keeps every key a gateway had (rotation), so replacing the key means replacing it in both.
        LedgerFixture.Tamper(copy, "UPDATE gateways SET public_key_pem = $p WHERE id = 'g1'", ("$p", Provenance.Core.Signing.GatewayKeys.ExportPublicKeyPem(other)));
        LedgerFixture.Tamper(copy, "UPDATE gateway_keys SET public_key_pem = $p WHERE gateway_id = 'g1'", ("$p", Provenance.Core.Signing.GatewayKeys.ExportPublicKeyPem(other)));

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Equal(6, result.Problems.Count(p => p.Kind == "bad_gateway_signature"));
    }

    [Fact]
    public void A_record_that_differs_from_the_signed_event_names_the_field()
    {
        new IngestionWriter(_fixture.Database).Commit([_fixture.SealUnit(6, recordLine: "l9")]);
        _fixture.AppendJournal();

        var result = LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("record_mismatch", 7L, 3L), (problem.Kind, problem.Index!.Value, problem.Block!.Value));
        Assert.Contains("line", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_id_found_in_the_message_only_as_another_field_value_is_not_in_the_message()
    {
        // The gateway signed event "ev-other" whose NFC UID happens to be the text "ev-ghost"; the record claims "ev-ghost".
        var signed = new SealEvent { EventId = "ev-other", Tag = "010950600013435221SERGHOST", Line = "l1", SealedAt = DateTimeOffset.UnixEpoch.AddDays(20000), SealType = "capsule", Sequence = 99, NfcUid = "ev-ghost" };
        new IngestionWriter(_fixture.Database).Commit([_fixture.Unit(signed with { EventId = "ev-ghost", NfcUid = null }, signed, "SERGHOST")]);
        _fixture.AppendJournal();

        var result = LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("event_not_in_message", 7L), (problem.Kind, problem.Index!.Value));
    }
}
