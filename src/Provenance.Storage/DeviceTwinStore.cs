using System.Data.Common;
using System.Text.Json.Nodes;
using Provenance.Core.Twins;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A gateway's device twin: desired and reported properties, each with the version IoT Hub's <c>$version</c> carries.</summary>
public sealed record DeviceTwin(string GatewayId, JsonObject Desired, long DesiredVersion, JsonObject Reported, long ReportedVersion, DateTimeOffset? ReportedAt)
{
    /// <summary>The twin as IoT Hub's <c>$iothub/twin/GET</c> answers it: <c>{desired:{…,$version}, reported:{…,$version}}</c>.</summary>
    public JsonObject ToDeviceDocument()
    {
        var desired = (JsonObject)Desired.DeepClone();
        desired["$version"] = DesiredVersion;
        var reported = (JsonObject)Reported.DeepClone();
        reported["$version"] = ReportedVersion;
        return new JsonObject { ["desired"] = desired, ["reported"] = reported };
    }
}

/// <summary>
/// Device twins of the gateways registered with a device key, persisted so that a gateway that reconnects (or a
/// restarted server) reads the same desired configuration and its last report. Every change is one transaction that
/// bumps the side's version; a twin that was never written reads as empty at version 1. Thread-safe.
/// </summary>
public sealed class DeviceTwinStore(ProvenanceDatabase database)
{
    /// <summary>The gateway's twin; null when the gateway is not registered.</summary>
    public DeviceTwin? Find(string gatewayId)
    {
        using var c = database.Connect();
        return Read(c, null, gatewayId);
    }

    /// <summary>Merges a desired patch (already checked by <see cref="TwinDocument.ParsePatch"/>); the new twin, or null when the gateway is not registered.</summary>
    /// <exception cref="ArgumentException">The merged properties would exceed IoT Hub's twin size.</exception>
    public DeviceTwin? PatchDesired(string gatewayId, JsonObject patch) => Patch(gatewayId, patch, desired: true);

    /// <summary>Merges a reported patch from the device; the new twin, or null when the gateway is not registered.</summary>
    /// <exception cref="ArgumentException">The merged properties would exceed IoT Hub's twin size.</exception>
    public DeviceTwin? PatchReported(string gatewayId, JsonObject patch) => Patch(gatewayId, patch, desired: false);

    private DeviceTwin? Patch(string gatewayId, JsonObject patch, bool desired)
    {
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        if (Read(c, tx, gatewayId) is not { } twin)
        {
            return null;
        }

        var merged = TwinDocument.Merge(desired ? twin.Desired : twin.Reported, patch, out var error) ?? throw new ArgumentException(error, nameof(patch));
        var now = database.Time.GetUtcNow();
        var updated = desired
            ? twin with { Desired = merged, DesiredVersion = twin.DesiredVersion + 1 }
            : twin with { Reported = merged, ReportedVersion = twin.ReportedVersion + 1, ReportedAt = now };
        c.Command("""
            INSERT INTO gateway_twins (gateway_id, desired_json, desired_version, reported_json, reported_version, reported_at)
            VALUES (@id, @d, @dv, @r, @rv, @at)
            ON CONFLICT(gateway_id) DO UPDATE SET desired_json = @d, desired_version = @dv, reported_json = @r, reported_version = @rv, reported_at = @at
            """, tx)
            .With("@id", gatewayId).With("@d", updated.Desired.ToJsonString()).With("@dv", updated.DesiredVersion)
            .With("@r", updated.Reported.ToJsonString()).With("@rv", updated.ReportedVersion)
            .With("@at", updated.ReportedAt is { } at ? Sql.Timestamp(at) : null).ExecuteNonQuery();
        tx.Commit();
        return updated;
    }

    private static DeviceTwin? Read(DbConnection c, DbTransaction? tx, string gatewayId)
    {
        using var cmd = c.Command("""
            SELECT t.desired_json, t.desired_version, t.reported_json, t.reported_version, t.reported_at
            FROM gateways g LEFT JOIN gateway_twins t ON t.gateway_id = g.id WHERE g.id = @id
            """, tx).With("@id", gatewayId);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        return r.IsDBNull(0)
            ? new DeviceTwin(gatewayId, [], 1, [], 1, null)
            : new DeviceTwin(gatewayId, (JsonObject)JsonNode.Parse(r.GetString(0))!, r.GetInt64(1), (JsonObject)JsonNode.Parse(r.GetString(2))!, r.GetInt64(3),
                r.NullableString(4) is { } at ? Sql.ParseTimestamp(at) : null);
    }
}
