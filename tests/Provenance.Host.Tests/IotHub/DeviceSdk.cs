using System.Diagnostics;
using System.Text.Json.Nodes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.IotHub;

/// <summary>
/// Microsoft's Azure IoT device SDK for Node as a line gateway: runs tests/iothub-js/device.mjs with one scenario
/// (JSON on stdin) and returns its one-line JSON result.
/// </summary>
internal static class DeviceSdk
{
    private static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "iothub-js");

    public static async Task<JsonNode> RunAsync(JsonObject scenario)
    {
        Assert.True(System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "azure-iot-device-mqtt")), "the Azure IoT device SDK is not installed: run 'npm ci' in tests/iothub-js (./test.sh does it)");
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Directory };
        info.ArgumentList.Add("device.mjs");
        using var process = Process.Start(info)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(scenario.ToJsonString());
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            Assert.True(process.ExitCode == 0, $"device.mjs exited {process.ExitCode}: {output}\n{await stderr}");
            return JsonNode.Parse(output)!;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
