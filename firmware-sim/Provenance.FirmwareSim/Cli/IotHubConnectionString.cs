using System.Globalization;

namespace Provenance.FirmwareSim.Cli;

/// <summary>
/// An IoT Hub device connection string, <c>HostName={hub};GatewayHostName={server}:{port};DeviceId={id};SharedAccessKey={key}</c>,
/// as <c>provenance gateways add --auth sas</c> prints it: sets the hub host, broker, port (default 8883), gateway id and device key.
/// </summary>
internal static class IotHubConnectionString
{
    public static SimulatorOptions Apply(SimulatorOptions options, string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CommandLineException("connection-string", $"'{part}' is not Name=value");
            }

            fields[part[..eq]] = part[(eq + 1)..];
        }

        string Field(string name) => fields.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new CommandLineException("connection-string", $"lacks {name}= (HostName=…;GatewayHostName=…;DeviceId=…;SharedAccessKey=…)");

        var hub = Field("HostName");
        var key = Field("SharedAccessKey");
        if (!Convert.TryFromBase64String(key, new byte[key.Length], out _))
        {
            throw new CommandLineException("connection-string", "SharedAccessKey is not base64");
        }

        var gateway = fields.GetValueOrDefault("GatewayHostName") ?? hub;
        var colon = gateway.LastIndexOf(':');
        var port = 8883;
        if (colon > 0 && !int.TryParse(gateway[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            throw new CommandLineException("connection-string", $"GatewayHostName '{gateway}' has a bad port");
        }

        return options with
        {
            IotHubHostName = hub,
            Host = colon > 0 ? gateway[..colon] : gateway,
            Port = port,
            GatewayId = Field("DeviceId"),
            DeviceKey = key,
            UseTls = true,
        };
    }
}
