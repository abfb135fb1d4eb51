using System.Net;
using System.Net.Sockets;
using Provenance.Host.Cli;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Cli;

/// <summary>
/// Issues 10 and 20: the errors a person meets first end in one line that names what to change, with the exit code
/// <c>--help</c> documents — a port in use (scan API or MQTT), a data directory that cannot be used.
/// </summary>
public sealed class ServeStartErrorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_scan_port_in_use_ends_serve_with_one_line_naming_urls()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, lines) = await ServeAsync("--urls", $"http://127.0.0.1:{port}", "--Broker:Port=0");

        Assert.Equal(1, code);
        var line = Assert.Single(lines, l => l.StartsWith("provenance serve:", StringComparison.Ordinal));
        Assert.Contains($"http://127.0.0.1:{port} is in use", line, StringComparison.Ordinal);
        Assert.Contains("change 'urls'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_MQTT_port_in_use_ends_serve_with_one_line_naming_Broker_Port()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, lines) = await ServeAsync("--urls", $"http://127.0.0.1:{FreePort.Next()}", $"--Broker:Port={port}");

        Assert.Equal(1, code);
        var line = Assert.Single(lines, l => l.StartsWith("provenance serve:", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port} is in use", line, StringComparison.Ordinal);
        Assert.Contains("change 'Broker:Port'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_ends_a_verb_with_one_line_saying_what_to_do()
    {
        using var dir = new TempDirectory("prov-data-error");
        var file = dir.Combine("not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["sites", "add", "--id", "p1", "--name", "P", "--lat", "1", "--lon", "2", "--data", Path.Combine(file, "data")], new StringWriter(), stderr);

        output.WriteLine(stderr.ToString());
        Assert.Equal(1, code);
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"provenance sites add: cannot use data directory {Path.Combine(file, "data")}", line, StringComparison.Ordinal);
        Assert.Contains("pass --data DIR / set Provenance__DataDirectory", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_data_directory_is_created_on_first_use_and_said_so()
    {
        using var dir = new TempDirectory("prov-data-new");
        var data = dir.Combine("fresh", "data");
        var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["sites", "add", "--id", "p1", "--name", "P", "--lat", "1", "--lon", "2", "--data", data], new StringWriter(), stderr);

        Assert.Equal(0, code);
        Assert.Contains($"created data directory {data}", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "provenance.db")));
    }

    [Fact]
    public async Task Every_verbs_help_documents_its_exit_codes()
    {
        foreach (var verb in CommandLine.Verbs)
        {
            var stdout = new StringWriter();
            await CommandLine.RunAsync([.. verb.Words, "--help"], stdout, new StringWriter());
            Assert.Contains("Exit codes:", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("  2 ", stdout.ToString(), StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, IReadOnlyList<string> Lines)> ServeAsync(params string[] args)
    {
        using var dir = new TempDirectory("prov-serve-error");
        await using var serve = ChildProcess.StartDll(RepositoryPaths.HostDll, ["serve", "--data", dir.Combine("data"), .. args], dir.Path);
        var code = await serve.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (code, serve.Lines.ToList());
    }
}
