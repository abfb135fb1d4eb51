using Microsoft.Extensions.Logging;
using Provenance.Core.Registry;
using Provenance.Fabric;
using Provenance.Storage;

namespace Provenance.Ingestion.Ledger;

/// <summary>What a gateway's entry on the chain needed.</summary>
public enum GatewaySyncOutcome
{
    Unchanged,
    Registered,
    Updated,
    Revoked,

    /// <summary>Revoked on the chain already (or never there while revoked here): nothing to do.</summary>
    Inactive,
}

/// <summary>
/// Keeps the chain's gateway registry in step with ours. Queries go through the recording identity; changes
/// (RegisterGateway, RotateGatewayKey, MoveGateway, RevokeGateway) through the admin identity, which the chaincode
/// requires for them. Without an admin identity, a gateway the chain does not hold as it is here is a permanent
/// failure that says how to register it out of band. What the chain is known to hold is remembered in
/// <see cref="FabricLedgerState"/>, so a current gateway costs no query. Thread-safe: changes are serialised.
/// </summary>
public sealed partial class FabricGatewayRegistrar(
    Contract contract,
    Contract? adminContract,
    FabricLedgerState state,
    RegistryStore registry,
    FabricLedgerOptions options,
    ILogger<FabricGatewayRegistrar> logger,
    TimeProvider? time = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Whether the chain is known to hold each of these gateways with our site and key.</summary>
    public bool AreCurrent(IEnumerable<string> gatewayIds)
    {
        ArgumentNullException.ThrowIfNull(gatewayIds);
        return gatewayIds.Distinct(StringComparer.Ordinal).All(id => registry.FindGateway(id) is not { } g || IsCurrent(g));
    }

    /// <summary>
    /// Makes sure each of these gateways is on the chain with its current site and key. Throws
    /// <see cref="LedgerUnavailableException"/> (<c>gateway_not_registered</c>) when that needs a change and no admin
    /// identity is configured.
    /// </summary>
    public async Task EnsureRegisteredAsync(IEnumerable<string> gatewayIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gatewayIds);
        foreach (var gatewayId in gatewayIds.Distinct(StringComparer.Ordinal))
        {
            if (registry.FindGateway(gatewayId) is { } registration)
            {
                await SyncAsync(registration, requireCurrent: true, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                LogNotInRegistry(gatewayId);
            }
        }
    }

    /// <summary>Registers or updates every active gateway of our registry and revokes the revoked ones; returns how many changed.</summary>
    public async Task<int> SyncAllAsync(CancellationToken cancellationToken = default)
    {
        var changed = 0;
        foreach (var registration in registry.ListGateways())
        {
            var outcome = await SyncAsync(registration, requireCurrent: false, cancellationToken).ConfigureAwait(false);
            changed += outcome is GatewaySyncOutcome.Registered or GatewaySyncOutcome.Updated or GatewaySyncOutcome.Revoked ? 1 : 0;
        }

        return changed;
    }

    /// <summary>Brings one gateway's entry on the chain up to date with our registry (the CLI's register-gateway).</summary>
    public Task<GatewaySyncOutcome> SyncAsync(GatewayRegistration registration, CancellationToken cancellationToken = default) =>
        SyncAsync(registration, requireCurrent: true, cancellationToken);

    private bool IsCurrent(GatewayRegistration registration) =>
        registration.IsRevoked || state.FindRegisteredGateway(registration.Id) == (registration.SiteId, registration.KeyFingerprint);

    private async Task<GatewaySyncOutcome> SyncAsync(GatewayRegistration registration, bool requireCurrent, CancellationToken cancellationToken)
    {
        if (!registration.IsRevoked && IsCurrent(registration))
        {
            return GatewaySyncOutcome.Unchanged;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!registration.IsRevoked && IsCurrent(registration))
            {
                return GatewaySyncOutcome.Unchanged;
            }

            var onChain = ChaincodeJson.ParseGateway(
                await contract.EvaluateAsync("GetGateway", [registration.Id], cancellationToken).ConfigureAwait(false));
            if (registration.IsRevoked)
            {
                if (onChain is not { Status: "active" })
                {
                    return GatewaySyncOutcome.Inactive;
                }

                await Admin(registration, "revoke", requireCurrent: false)
                    .SubmitAsync("RevokeGateway", [registration.Id, "revoked in the Provenance registry"], cancellationToken).ConfigureAwait(false);
                state.ForgetGateway(registration.Id);
                LogRevoked(registration.Id);
                return GatewaySyncOutcome.Revoked;
            }

            var outcome = GatewaySyncOutcome.Unchanged;
            if (onChain is null)
            {
                await Admin(registration, "register", requireCurrent)
                    .SubmitAsync("RegisterGateway", [registration.Id, registration.SiteId, registration.PublicKeyPem], cancellationToken).ConfigureAwait(false);
                LogRegistered(registration.Id, registration.SiteId, registration.KeyFingerprint);
                outcome = GatewaySyncOutcome.Registered;
            }
            else if (onChain.Status != "active")
            {
                LogRevokedOnChain(registration.Id, onChain.Status);
                return GatewaySyncOutcome.Inactive;
            }
            else
            {
                if (onChain.KeyFingerprint != registration.KeyFingerprint)
                {
                    await Admin(registration, "rotate the key of", requireCurrent)
                        .SubmitAsync("RotateGatewayKey", [registration.Id, registration.PublicKeyPem], cancellationToken).ConfigureAwait(false);
                    LogRotated(registration.Id, onChain.KeyFingerprint, registration.KeyFingerprint);
                    outcome = GatewaySyncOutcome.Updated;
                }

                if (onChain.SiteId != registration.SiteId)
                {
                    await Admin(registration, "move", requireCurrent)
                        .SubmitAsync("MoveGateway", [registration.Id, registration.SiteId], cancellationToken).ConfigureAwait(false);
                    LogMoved(registration.Id, onChain.SiteId, registration.SiteId);
                    outcome = GatewaySyncOutcome.Updated;
                }
            }

            state.MarkGatewayRegistered(registration.Id, registration.SiteId, registration.KeyFingerprint, _time.GetUtcNow());
            return outcome;
        }
        catch (OutOfBand) when (!requireCurrent)
        {
            return GatewaySyncOutcome.Unchanged;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The admin contract, or the failure that says how to make the change without one.</summary>
    private Contract Admin(GatewayRegistration registration, string change, bool requireCurrent)
    {
        if (adminContract is not null)
        {
            return adminContract;
        }

        LogNeedsAdmin(registration.Id, change);
        if (!requireCurrent)
        {
            throw new OutOfBand();
        }

        throw new LedgerUnavailableException(
            "gateway_not_registered",
            $"Gateway '{registration.Id}' is not on channel '{options.Channel}' with its current site and key ({registration.SiteId}, {registration.KeyFingerprint}), "
            + $"and changing that needs an admin identity of {options.MspId}: run `provenance fabric register-gateway --id {registration.Id}`, "
            + "or set Ledger:Fabric:AdminCertificatePath and Ledger:Fabric:AdminPrivateKeyPath so that the engine does it.");
    }

    [LoggerMessage(EventId = 3130, Level = LogLevel.Information, Message = "Registered gateway {GatewayId} (site {SiteId}, key {KeyFingerprint}) on the Fabric channel")]
    private partial void LogRegistered(string gatewayId, string siteId, string keyFingerprint);

    [LoggerMessage(EventId = 3131, Level = LogLevel.Information, Message = "Rotated the key of gateway {GatewayId} on the Fabric channel from {OldFingerprint} to {NewFingerprint}")]
    private partial void LogRotated(string gatewayId, string oldFingerprint, string newFingerprint);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Moved gateway {GatewayId} on the Fabric channel from site {OldSiteId} to {NewSiteId}")]
    private partial void LogMoved(string gatewayId, string oldSiteId, string newSiteId);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Gateway {GatewayId} is {Status} on the Fabric channel; its seals will be rejected there (register the device under a new id)")]
    private partial void LogRevokedOnChain(string gatewayId, string status);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Gateway {GatewayId} has seals in the journal but is not in the registry; it cannot be registered on the Fabric channel")]
    private partial void LogNotInRegistry(string gatewayId);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Revoked gateway {GatewayId} on the Fabric channel")]
    private partial void LogRevoked(string gatewayId);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Cannot {Change} gateway {GatewayId} on the Fabric channel without an admin identity: run provenance fabric register-gateway for it, or set Ledger:Fabric:AdminCertificatePath")]
    private partial void LogNeedsAdmin(string gatewayId, string change);

    /// <summary>A change that needs the admin identity, skipped by the periodic sync (the engine reports it when it matters).</summary>
    private sealed class OutOfBand : Exception;
}
