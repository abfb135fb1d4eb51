using Xunit.Abstractions;

namespace Provenance.Deploy.Tests;

/// <summary>
/// Issue 21 item 6: on a plain Debian host mosquitto drops to its own user before it reads the password file and the
/// ACL. install-bare-host.sh writes the Debian paths and gives those files to root:mosquitto 0640, and the user scripts
/// keep that ownership when run as root; a broker running as the mosquitto user then authenticates the users they
/// added. A root-only password file (what add-gateway.sh used to leave) locks every client out.
/// </summary>
public sealed class MosquittoBareHostTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("prov-mosquitto-host-").FullName;

    private string Etc => Path.Combine(_root, "etc", "mosquitto");

    [Fact]
    public async Task Install_script_writes_the_Debian_paths_and_gives_the_broker_its_files()
    {
        var install = await InstallAsync();

        var conf = await File.ReadAllTextAsync(Path.Combine(Etc, "mosquitto.conf"));
        output.WriteLine(install.StdOut);
        Assert.Equal("/var/lib/mosquitto/", MosquittoConfig.Value(conf, "persistence_location"));
        Assert.Equal("/etc/mosquitto/passwd", MosquittoConfig.Value(conf, "password_file"));
        Assert.Equal("/etc/mosquitto/acl", MosquittoConfig.Value(conf, "acl_file"));
        Assert.Equal("/etc/mosquitto/conf.d", MosquittoConfig.Value(conf, "include_dir"));
        Assert.Equal("true", MosquittoConfig.Value(conf, "use_username_as_clientid"));
        Assert.Contains("cafile /etc/mosquitto/certs/ca.crt", await File.ReadAllTextAsync(Path.Combine(Etc, "conf.d", "tls.conf.example")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Etc, "conf.d", "tls.conf")), "TLS must stay off until certificates are in place");
        foreach (var file in new[] { "passwd", "acl" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(Etc, file)));
        }

        RequireRoot();
        Assert.Equal("root:mosquitto", await OwnerAsync(Path.Combine(Etc, "passwd")));
        Assert.Equal("root:mosquitto", await OwnerAsync(Path.Combine(Etc, "acl")));
        Assert.Equal("root:mosquitto", await OwnerAsync(Path.Combine(Etc, "certs")));
    }

    [Fact]
    public async Task A_broker_running_as_the_mosquitto_user_authenticates_users_the_scripts_added_as_root()
    {
        RequireRoot();
        await InstallAsync();
        await AddUsersAsync();

        var outcome = await ConnectGatewayAsync();

        output.WriteLine($"files root:mosquitto 0640, broker as mosquitto: gateway connect {outcome}");
        Assert.Equal("Success", outcome);
    }

    [Fact]
    public async Task The_same_broker_locks_everyone_out_when_the_password_file_is_root_only()
    {
        RequireRoot();
        await InstallAsync();
        await AddUsersAsync("--owner", "root:root");

        var outcome = await ConnectGatewayAsync();

        output.WriteLine($"files root:root 0640, broker as mosquitto: {outcome}");
        Assert.NotEqual("Success", outcome);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void RequireRoot() =>
        Assert.True(Environment.UserName == "root", "these checks need root, as on the plant server: mosquitto drops to its own user and ownership is root:mosquitto");

    private async Task<ProcessResult> InstallAsync()
    {
        // The broker (user mosquitto) must traverse the temporary root like it traverses /etc.
        File.SetUnixFileMode(_root, File.GetUnixFileMode(_root) | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var install = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Mosquitto, "install-bare-host.sh"), "--root", _root]);
        Assert.True(install.ExitCode == 0, install.Describe("install-bare-host.sh"));
        return install;
    }

    private async Task AddUsersAsync(params string[] options)
    {
        foreach (var (script, args) in new[] { ("add-ingestion.sh", new[] { "ingestion", "host-ingestion-secret" }), ("add-gateway.sh", new[] { "plant-1", "gw-1", "host-gateway-secret" }) })
        {
            var r = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Mosquitto, script), "--passwd", Path.Combine(Etc, "passwd"), "--acl", Path.Combine(Etc, "acl"), .. options, .. args]);
            Assert.True(r.ExitCode == 0, r.Describe(script));
        }
    }

    /// <summary>Starts mosquitto from the installed file (listener and paths moved into the temporary root) as user mosquitto; connects gw-1.</summary>
    private async Task<string> ConnectGatewayAsync()
    {
        var port = FreePort.Next();
        var data = Path.Combine(_root, "var", "lib", "mosquitto");
        var config = MosquittoConfig.Adapt(await File.ReadAllTextAsync(Path.Combine(Etc, "mosquitto.conf")), port, data, Path.Combine(Etc, "passwd"), Path.Combine(Etc, "acl"), Path.Combine(Etc, "conf.d"), user: "mosquitto");
        var path = await config.WriteAsync(Path.Combine(_root, "test-mosquitto.conf"));
        MosquittoProcess broker;
        try
        {
            broker = await MosquittoProcess.StartAsync(path, port);
        }
        catch (InvalidOperationException e)
        {
            return $"broker did not start: {e.Message}";
        }

        await using (broker)
        {
            var outcome = await Mqtt.TryConnectAsync(Mqtt.Options(port, "gw-1", "gw-1", "host-gateway-secret"));
            output.WriteLine(broker.Log);
            return outcome;
        }
    }

    private static async Task<string> OwnerAsync(string path)
    {
        var stat = await ProcessRunner.RunAsync("stat", ["-c", "%U:%G", path]);
        return stat.StdOut.Trim();
    }
}
