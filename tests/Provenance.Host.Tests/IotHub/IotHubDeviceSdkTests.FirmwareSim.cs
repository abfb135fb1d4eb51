using Provenance.FirmwareSim.Cli;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.IotHub;

/// <summary>The firmware simulator speaking IoT Hub's dialect (<c>--protocol iothub</c>) with the connection string a vendor is given.</summary>
public sealed partial class IotHubDeviceSdkTests
{
    [Fact]
    public async Task Firmware_sim_with_protocol_iothub_sends_fixes_and_a_seal_that_scans_authentic_with_an_attested_origin()
    {
        var tag = hub.Tags[4];
        var codes = Path.Combine(Node.WorkDirectory, "iothub-codes.txt");
        await File.WriteAllTextAsync(codes, tag + "\n");
        using var options = new DisposableOptions(CommandLine.Parse(
        [
            "--protocol", "iothub", "--connection-string", hub.ConnectionString(), "--ca-file", hub.CaPath, "--key", hub.Gateway.KeyPath,
            "--site", hub.Gateway.SiteId, "--codes", codes, "--rate", "0", "--gnss-interval", "200ms", "--progress", "0", "--seed", "7",
            "--lat", "27.8611", "--lon", "106.372",
        ]));
        Assert.True(options.Value.IotHub);
        Assert.Equal(hub.TlsPort, options.Value.Port);

        await Simulation.RunGnssOnlyAsync(options.Value, TimeSpan.FromSeconds(1.5));
        var result = await Simulation.RunAsync(options.Value, TimeSpan.FromMinutes(1));

        Assert.Equal(1, result.SealsAcked);
        var scan = await Node.ScanAsync(tag);
        Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
        var attestation = scan.GetProperty("origin").GetProperty("attestation");
        Assert.True(attestation.GetProperty("attested").GetBoolean(), attestation.ToString());
        AssertNoFailureLogged();
    }

    [Fact]
    public void Firmware_sim_refuses_protocol_iothub_without_a_connection_string_and_says_what_to_give()
    {
        var e = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--protocol", "iothub", "--key", hub.Gateway.KeyPath]));

        Assert.Contains("--connection-string", e.Message, StringComparison.Ordinal);
    }

    private sealed class DisposableOptions(Provenance.FirmwareSim.SimulatorOptions value) : IDisposable
    {
        public Provenance.FirmwareSim.SimulatorOptions Value { get; } = value;

        public void Dispose() => Value.Key.Dispose();
    }
}
