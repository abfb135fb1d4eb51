using System.Diagnostics;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Provenance.Core.Signing;
using Provenance.FirmwareSim.Mqtt;
using Provenance.FirmwareSim.Tests.Infrastructure;

namespace Provenance.FirmwareSim.Tests;

/// <summary>
/// The errors a person meets first with the simulator end in one line that says what to do, with the exit code that
/// <c>--help</c> documents: a wrong MQTT password (real mosquitto with a password file, and an MQTTnet broker) and a
/// code list without a <c>url</c> column.
/// </summary>
public sealed class BrokerRefusalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwsim-refusal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_wrong_password_on_mosquitto_stops_with_not_authorised_and_exit_code_3()
    {
        await using var broker = await MosquittoBroker.StartAsync(account: ("gw-1", "the-right-secret"));
        var (code, stderr) = await RunAsync("--key", KeyFile(), "--password", "a-wrong-secret", "--port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "60s");

        Assert.Equal(BrokerRefusedException.ExitCode, code);
        var last = stderr.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("firmware-sim: not authorised: the broker at 127.0.0.1:", last, StringComparison.Ordinal);
        Assert.Contains("refused user 'gw-1'", last, StringComparison.Ordinal);
        Assert.Contains("provenance gateways add", last, StringComparison.Ordinal);
        Assert.DoesNotContain("connection lost", stderr, StringComparison.Ordinal);
        Assert.Contains("3 not authorised by the broker", Provenance.FirmwareSim.Cli.CommandLine.Help(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_password_on_the_same_mosquitto_connects_and_seals()
    {
        await using var broker = await MosquittoBroker.StartAsync(account: ("gw-1", "the-right-secret"));
        using var gateway = new TestGateway();
        var options = gateway.Options(broker.Port, 0) with { GatewayId = "gw-1", Password = "the-right-secret", Codes = [], Duration = TimeSpan.FromSeconds(1) };
        var simulator = new GatewaySimulator(options);
        var connected = 0;
        simulator.ConnectionChanged += (_, e) => connected += e.Connected && e.Error is null ? 1 : 0;
        var result = await simulator.RunAsync(CancellationToken.None);

        Assert.Equal(SimulatorOutcome.DurationElapsed, result.Outcome);
        Assert.True(connected > 0, "the simulator never connected with the right password");
    }

    [Fact]
    public async Task An_mqttnet_broker_refusing_the_password_ends_the_run_with_a_broker_refusal()
    {
        var port = FreePort.Next();
        var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        server.ValidatingConnectionAsync += e =>
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        try
        {
            using var gateway = new TestGateway();
            var options = gateway.Options(port, 3) with { Password = "wrong" };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var refused = await Assert.ThrowsAsync<BrokerRefusedException>(() => new GatewaySimulator(options).RunAsync(timeout.Token));

            Assert.Equal("BadUserNameOrPassword", refused.ReasonCode);
            Assert.StartsWith("not authorised:", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await server.StopAsync(new MqttServerStopOptions());
            server.Dispose();
        }
    }

    [Fact]
    public async Task A_csv_without_a_url_column_stops_with_exit_code_2_and_says_which_file_to_pass()
    {
        var csv = Path.Combine(_directory, "codes.csv");
        await File.WriteAllTextAsync(csv, "serial,gtin\nA1,09506000134352\n");
        var (code, stderr) = await RunAsync("--key", KeyFile(), "--codes", csv);

        Assert.Equal(2, code);
        var last = stderr.TrimEnd().Split('\n')[^1];
        Assert.StartsWith($"firmware-sim: --codes: '{csv}' has no 'url' column (its header is 'serial,gtin')", last, StringComparison.Ordinal);
        Assert.Contains("provenance tags issue", last, StringComparison.Ordinal);
        Assert.Contains("without a 'url' column", Provenance.FirmwareSim.Cli.CommandLine.Help(), StringComparison.Ordinal);
    }

    private string KeyFile()
    {
        var path = Path.Combine(_directory, "gw-1.key.pem");
        using var key = GatewayKeys.Create();
        File.WriteAllText(path, GatewayKeys.ExportPrivateKeyPem(key));
        return path;
    }

    /// <summary>The simulator's own build output (beside its runtimeconfig), found from this test assembly's location.</summary>
    private static string FirmwareSimDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                dir = dir.Parent;
            }

            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(dir!.FullName, "firmware-sim", "Provenance.FirmwareSim", "bin", configuration, "net10.0", "firmware-sim.dll");
        }
    }

    /// <summary>Runs the real <c>firmware-sim</c> executable (its DLL beside this test assembly) and returns its exit code and stderr.</summary>
    private async Task<(int Code, string Stderr)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = _directory };
        info.ArgumentList.Add(FirmwareSimDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        return (process.ExitCode, await stderr);
    }
}
