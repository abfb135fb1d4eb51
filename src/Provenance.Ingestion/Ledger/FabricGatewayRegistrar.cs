using Microsoft.Extensions.Logging;
using Provenance.Core.Registry;
using Provenance.Fabric;
using Provenance.Storage;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// Keeps the chain's gateway registry in step with ours: a gateway is registered on the chain (RegisterGateway), its
/// key rotated (RotateGatewayKey) or its site moved (MoveGateway) before its seals are submitted. What the chain is
/// known to hold is remembered in <see cref="FabricLedgerState"/>, so a gateway costs one query the first time and
/// none after. A failed or ambiguous change is simply asked about again next time (GetGateway). Thread-safe: changes
/// are serialised.
/// </summary>
public sealed partial class FabricGatewayRegistrar(
    Contract contract, FabricLedgerState state, RegistryStore registry, ILogger<FabricGatewayRegistrar> logger, TimeProvider? time = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Makes sure each of these gateways is on the chain with its current site and key.</summary>
    public async Task EnsureRegisteredAsync(IEnumerable<string> gatewayIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gatewayIds);
        foreach (var gatewayId in gatewayIds.Distinct(StringComparer.Ordinal))
        {
            var registration = registry.FindGateway(gatewayId);
            if (registration is null)
            {
                LogNotInRegistry(gatewayId);
                continue;
            }

            await SyncAsync(registration, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers every active gateway of our registry that the chain does not hold as it is; returns how many changed.</summary>
    public async Task<int> SyncAllAsync(CancellationToken cancellationToken = default)
    {
        var changed = 0;
        foreach (var registration in registry.ListGateways().Where(g => g.RevokedAt is null))
        {
            if (await SyncAsync(registration, cancellationToken).ConfigureAwait(false))
            {
                changed++;
            }
        }

        return changed;
    }

    private async Task<bool> SyncAsync(GatewayRegistration registration, CancellationToken cancellationToken)
    {
        if (state.FindRegisteredGateway(registration.Id) == (registration.SiteId, registration.KeyFingerprint))
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (state.FindRegisteredGateway(registration.Id) == (registration.SiteId, registration.KeyFingerprint))
            {
                return false;
            }

            var onChain = ChaincodeJson.ParseGateway(
                await contract.EvaluateAsync("GetGateway", [registration.Id], cancellationToken).ConfigureAwait(false));
            var changed = false;
            if (onChain is null)
            {
                await contract.SubmitAsync("RegisterGateway", [registration.Id, registration.SiteId, registration.PublicKeyPem], cancellationToken).ConfigureAwait(false);
                LogRegistered(registration.Id, registration.SiteId, registration.KeyFingerprint);
                changed = true;
            }
            else if (onChain.Status != "active")
            {
                LogRevokedOnChain(registration.Id, onChain.Status);
                return false;
            }
            else
            {
                if (onChain.KeyFingerprint != registration.KeyFingerprint)
                {
                    await contract.SubmitAsync("RotateGatewayKey", [registration.Id, registration.PublicKeyPem], cancellationToken).ConfigureAwait(false);
                    LogRotated(registration.Id, onChain.KeyFingerprint, registration.KeyFingerprint);
                    changed = true;
                }

                if (onChain.SiteId != registration.SiteId)
                {
                    await contract.SubmitAsync("MoveGateway", [registration.Id, registration.SiteId], cancellationToken).ConfigureAwait(false);
                    LogMoved(registration.Id, onChain.SiteId, registration.SiteId);
                    changed = true;
                }
            }

            state.MarkGatewayRegistered(registration.Id, registration.SiteId, registration.KeyFingerprint, _time.GetUtcNow());
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Registered gateway {GatewayId} (site {SiteId}, key {KeyFingerprint}) on the Fabric channel")]
    private partial void LogRegistered(string gatewayId, string siteId, string keyFingerprint);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Rotated the key of gateway {GatewayId} on the Fabric channel from {OldFingerprint} to {NewFingerprint}")]
    private partial void LogRotated(string gatewayId, string oldFingerprint, string newFingerprint);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Moved gateway {GatewayId} on the Fabric channel from site {OldSiteId} to {NewSiteId}")]
    private partial void LogMoved(string gatewayId, string oldSiteId, string newSiteId);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Gateway {GatewayId} is {Status} on the Fabric channel; its seals will be rejected there (register the device under a new id)")]
    private partial void LogRevokedOnChain(string gatewayId, string status);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Gateway {GatewayId} has seals in the journal but is not in the registry; it cannot be registered on the Fabric channel")]
    private partial void LogNotInRegistry(string gatewayId);
}
