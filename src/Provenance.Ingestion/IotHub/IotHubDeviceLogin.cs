namespace Provenance.Ingestion.IotHub;

/// <summary>
/// The MQTT user name of a device in IoT Hub's dialect, <c>{hub host}/{device id}/?api-version=…</c> (the SDKs add
/// more query parameters after the version). Native gateways log in with their bare id, which has no slash.
/// </summary>
public sealed record IotHubDeviceLogin(string HubHost, string DeviceId)
{
    /// <summary>True when <paramref name="userName"/> is in IoT Hub's form rather than a bare gateway id.</summary>
    public static bool IsIotHubUserName(string? userName) => userName is not null && userName.Contains('/', StringComparison.Ordinal);

    /// <summary>Reads the user name; false with a reason when it is not in IoT Hub's form.</summary>
    public static bool TryParse(string? userName, out IotHubDeviceLogin login, out string error)
    {
        login = null!;
        var parts = userName?.Split('/', 3) ?? [];
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !parts[2].StartsWith("?api-version=", StringComparison.Ordinal) && !parts[2].StartsWith("api-version=", StringComparison.Ordinal))
        {
            error = "the user name must be '{hub host}/{device id}/?api-version=2021-04-12'";
            return false;
        }

        login = new IotHubDeviceLogin(parts[0], parts[1]);
        error = string.Empty;
        return true;
    }

    /// <summary>The resource a device's SAS token must be for.</summary>
    public string Resource => $"{HubHost}/devices/{DeviceId}";
}
