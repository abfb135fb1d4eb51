using Provenance.Ingestion.Broker;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary>
/// <c>provenance gateways add</c>: registers a gateway's site and public key and prints its MQTT credentials; with
/// <c>--auth sas</c> also its Azure IoT Hub device key and the connection string an SDK-built gateway uses; with
/// <c>--auth x509</c> it records the thumbprint of the gateway's self-signed certificate (or, without one, accepts a
/// certificate from the broker's client CA whose common name is the gateway id).
/// </summary>
internal static class GatewaysAddVerb
{
    public static CliVerb Create() => new(
        ["gateways", "add"],
        "Register a line gateway (site and public key) and print its MQTT credentials (shown once).",
        [
            new CliOption("id", "Gateway id (also its MQTT client id and user name, and its IoT Hub device id).", Required: true),
            new CliOption("site", "Site id the gateway belongs to.", Required: true),
            new CliOption(GatewayPublicKeyOption.Name, "PEM file with the gateway's P-256 public key (from 'gateways keygen').", Required: true),
            new CliOption("auth", "'secret': an MQTT secret; 'sas': also an Azure IoT Hub device key, for gateways built on Microsoft's device SDKs; 'x509': also IoT Hub's X.509 login.", Default: "secret"),
            new CliOption("thumbprint", "With --auth x509: SHA-256 thumbprint (64 hex digits) of the gateway's self-signed certificate. Without it the certificate must come from Broker:Tls:ClientCaPath with the gateway id as common name."),
            DataOption.Option,
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequireIdentifier("id");
        var auth = args.Get("auth") ?? "secret";
        if (auth is not ("secret" or "sas" or "x509"))
        {
            args.Error.WriteLine($"provenance gateways add: --auth must be 'secret', 'sas' or 'x509', not '{auth}'");
            return Task.FromResult(ExitCodes.Usage);
        }

        var thumbprint = args.Get("thumbprint");
        if (thumbprint is not null)
        {
            if (auth != "x509")
            {
                args.Error.WriteLine("provenance gateways add: --thumbprint goes with --auth x509");
                return Task.FromResult(ExitCodes.Usage);
            }

            try
            {
                thumbprint = DeviceCertificateStore.NormalizeThumbprint(thumbprint);
            }
            catch (ArgumentException e)
            {
                args.Error.WriteLine($"provenance gateways add: --thumbprint: {e.Message}");
                return Task.FromResult(ExitCodes.Usage);
            }
        }

        var (pem, fingerprint) = GatewayPublicKeyOption.Read(args);

        string secret;
        string? deviceKey = null;
        try
        {
            var database = DataOption.Open(args);
            secret = new RegistryStore(database).AddGateway(id, args.Require("site"), pem, fingerprint);
            if (auth == "sas")
            {
                deviceKey = new DeviceKeyStore(database, DataOption.ServerSecret(args)).Issue(id);
            }
            else if (auth == "x509")
            {
                new DeviceCertificateStore(database).Register(id, thumbprint);
            }
        }
        catch (RegistryConflictException e)
        {
            args.Error.WriteLine($"provenance gateways add: {e.Message}");
            return Task.FromResult(1);
        }

        args.Out.WriteLine($"gateway {id} added (key {fingerprint}). MQTT credentials — store them on the gateway; they are not shown again:");
        args.Out.WriteLine($"  client id: {id}");
        args.Out.WriteLine($"  username:  {id}");
        args.Out.WriteLine($"  password:  {secret}");
        if (deviceKey is not null)
        {
            var hub = args.Configuration[$"{EmbeddedBrokerOptions.Section}:IotHub:HostName"] ?? "{Broker:IotHub:HostName}";
            args.Out.WriteLine("Azure IoT Hub device key (SAS) — for gateways built on Microsoft's device SDKs; not shown again:");
            args.Out.WriteLine($"  device key: {deviceKey}");
            args.Out.WriteLine($"  connection string: HostName={hub};GatewayHostName={{this server}}:8883;DeviceId={id};SharedAccessKey={deviceKey}");
        }

        if (auth == "x509")
        {
            var hub = args.Configuration[$"{EmbeddedBrokerOptions.Section}:IotHub:HostName"] ?? "{Broker:IotHub:HostName}";
            args.Out.WriteLine(thumbprint is null
                ? "Azure IoT Hub X.509 login: a certificate issued by Broker:Tls:ClientCaPath with common name " + id
                : $"Azure IoT Hub X.509 login: the self-signed certificate with SHA-256 thumbprint {thumbprint}");
            args.Out.WriteLine($"  connection string: HostName={hub};GatewayHostName={{this server}}:8883;DeviceId={id};x509=true");
        }

        return Task.FromResult(0);
    }
}
