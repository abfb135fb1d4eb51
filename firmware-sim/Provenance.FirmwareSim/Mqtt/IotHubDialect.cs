using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim.Mqtt;

/// <summary>
/// Azure IoT Hub's device dialect for <c>--protocol iothub</c>, as Microsoft's device SDKs speak it: MQTT 3.1.1 over TLS,
/// user name <c>{hub}/{device}/?api-version=2021-04-12</c>, a SAS token signed with the device key as password, and
/// every gateway message sent on <c>devices/{device}/messages/events/kind={seal|gnss|status}</c>.
/// </summary>
internal static class IotHubDialect
{
    public const string ApiVersion = "2021-04-12";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public static string UserName(SimulatorOptions options) => $"{options.IotHubHostName}/{options.GatewayId}/?api-version={ApiVersion}";

    /// <summary>A SAS token for the device, valid for an hour (a reconnect makes a new one).</summary>
    public static string Token(SimulatorOptions options, DateTimeOffset now)
    {
        var resource = Uri.EscapeDataString($"{options.IotHubHostName}/devices/{options.GatewayId}");
        var expiry = (now + TokenLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(Convert.FromBase64String(options.DeviceKey!), Encoding.UTF8.GetBytes(resource + "\n" + expiry));
        return $"SharedAccessSignature sr={resource}&sig={Uri.EscapeDataString(Convert.ToBase64String(signature))}&se={expiry}";
    }

    /// <summary>The device-to-cloud topic of a gateway message of <paramref name="kind"/>.</summary>
    public static string EventsTopic(string deviceId, GatewayMessageKind kind) => $"devices/{deviceId}/messages/events/kind={GatewayTopic.KindName(kind)}";
}
