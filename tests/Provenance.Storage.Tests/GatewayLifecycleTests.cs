using Provenance.Core.Signing;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>Rotating and revoking a registered gateway.</summary>
public sealed class GatewayLifecycleTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 5);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_rotated_key_becomes_current_the_old_one_is_kept_in_the_history_and_old_records_still_verify()
    {
        var registry = new RegistryStore(_fixture.Database);
        using var next = GatewayKeys.Create();

        var rotated = registry.RotateGatewayKey("g1", GatewayKeys.ExportPublicKeyPem(next), GatewayKeys.Fingerprint(next));

        Assert.Equal(2, rotated.KeyVersion);
        Assert.Equal(GatewayKeys.Fingerprint(next), rotated.KeyFingerprint);
        var history = registry.GatewayKeyHistory("g1");
        Assert.Equal([GatewayKeys.Fingerprint(_fixture.GatewayKey), GatewayKeys.Fingerprint(next)], history.Select(k => k.KeyFingerprint));
        Assert.NotNull(history[0].ValidUntil);
        Assert.Null(history[1].ValidUntil);
        var verification = LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey);
        Assert.True(verification.IsIntact, string.Join("\n", verification.Problems));
    }

    [Fact]
    public void A_retired_key_is_not_taken_back_and_the_current_key_is_not_rotated_onto_itself()
    {
        var registry = new RegistryStore(_fixture.Database);
        var original = (GatewayKeys.ExportPublicKeyPem(_fixture.GatewayKey), GatewayKeys.Fingerprint(_fixture.GatewayKey));
        using var next = GatewayKeys.Create();

        Assert.Throws<RegistryConflictException>(() => registry.RotateGatewayKey("g1", original.Item1, original.Item2));
        registry.RotateGatewayKey("g1", GatewayKeys.ExportPublicKeyPem(next), GatewayKeys.Fingerprint(next));
        var e = Assert.Throws<RegistryConflictException>(() => registry.RotateGatewayKey("g1", original.Item1, original.Item2));
        Assert.Contains("used key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revoked_gateway_keeps_its_first_revocation_cannot_be_rotated_and_its_secret_no_longer_logs_in()
    {
        var registry = new RegistryStore(_fixture.Database);
        var secret = registry.RotateGatewaySecret("g1");
        Assert.True(registry.CheckGatewaySecret("g1", secret));

        var revoked = registry.RevokeGateway("g1", "stolen from line 3");
        var again = registry.RevokeGateway("g1", "second time");

        Assert.True(revoked!.IsRevoked);
        Assert.Equal(revoked.RevokedAt, again!.RevokedAt);
        Assert.Equal("stolen from line 3", again.RevocationReason);
        Assert.False(registry.CheckGatewaySecret("g1", secret));
        Assert.True(registry.VerifyGatewaySecret("g1", secret));
        Assert.False(registry.VerifyGatewaySecret("g1", "wrong"));
        using var next = GatewayKeys.Create();
        Assert.Throws<RegistryConflictException>(() => registry.RotateGatewayKey("g1", GatewayKeys.ExportPublicKeyPem(next), GatewayKeys.Fingerprint(next)));
        Assert.Throws<RegistryConflictException>(() => registry.RotateGatewaySecret("g1"));
        Assert.Null(registry.RevokeGateway("nobody", null));
    }

    [Fact]
    public void A_new_secret_replaces_the_old_one_at_once()
    {
        var registry = new RegistryStore(_fixture.Database);
        var first = registry.RotateGatewaySecret("g1");

        var second = registry.RotateGatewaySecret("g1");

        Assert.False(registry.CheckGatewaySecret("g1", first));
        Assert.True(registry.CheckGatewaySecret("g1", second));
    }
}
