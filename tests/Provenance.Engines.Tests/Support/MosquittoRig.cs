using Provenance.Deploy.Tests;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// A real mosquitto started from the shipped deploy/mosquitto/mosquitto.conf (listener and paths rewritten by
/// <see cref="MosquittoConfig"/>, everything else as shipped: persistence, unlimited queues, ACLs), with the ingestion
/// service user and gateways added by the shipped add-gateway.sh. Restartable on the same port and data directory.
/// </summary>
internal sealed class MosquittoRig : IAsyncDisposable
{
    public const string IngestionUser = "ingestion";
    public const string IngestionPassword = "ingestion-engines-secret";

    private readonly TempDirectory _dir = new("prov-mosquitto");
    private MosquittoBroker? _broker;
    private string? _configPath;

    private MosquittoRig(int port) => Port = port;

    public int Port { get; }

    public string Log => _broker?.Log ?? string.Empty;

    private string PasswordFile => _dir.Combine("passwd");

    private string AclFile => _dir.Combine("acl");

    /// <summary>Creates the users (ingestion + the given gateways) and starts the broker.</summary>
    public static async Task<MosquittoRig> StartAsync(params GatewayCredentials[] gateways)
    {
        var rig = new MosquittoRig(MosquittoBroker.FreePort());
        foreach (var gateway in gateways)
        {
            var add = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Mosquitto, "add-gateway.sh"), "--passwd", rig.PasswordFile, "--acl", rig.AclFile, gateway.SiteId, gateway.GatewayId, gateway.Secret]);
            Assert.True(add.ExitCode == 0, add.Describe("add-gateway.sh"));
        }

        var passwd = ProcessRunner.Require("mosquitto_passwd", "Install it: apt-get install mosquitto.");
        var user = await ProcessRunner.RunAsync(passwd, ["-b", rig.PasswordFile, IngestionUser, IngestionPassword]);
        Assert.True(user.ExitCode == 0, user.Describe("mosquitto_passwd"));

        var data = Directory.CreateDirectory(rig._dir.Combine("data")).FullName;
        var include = Directory.CreateDirectory(rig._dir.Combine("conf.d")).FullName;
        var config = MosquittoConfig.Adapt(await File.ReadAllTextAsync(MosquittoConfig.ShippedPath), rig.Port, data, rig.PasswordFile, rig.AclFile, include);
        rig._configPath = await config.WriteAsync(rig._dir.Combine("mosquitto.conf"));
        rig._broker = await MosquittoBroker.StartAsync(rig._configPath, rig.Port);
        return rig;
    }

    /// <summary>A graceful restart (SIGTERM: mosquitto saves its database) on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        var old = _broker ?? throw new InvalidOperationException("mosquitto is not running");
        await old.StopGracefullyAsync();
        await old.DisposeAsync();
        _broker = await MosquittoBroker.StartAsync(_configPath!, Port);
    }

    /// <summary><c>provenance serve</c> arguments for ingestion from this broker with a fixed client id.</summary>
    public IReadOnlyList<string> HostArguments(string clientId) =>
    [
        "--Broker:Embedded=false", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={Port}", $"--Mqtt:Username={IngestionUser}",
        $"--Mqtt:Password={IngestionPassword}", $"--Mqtt:ClientId={clientId}", "--Mqtt:SharedGroup=ingestion",
    ];

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _dir.Dispose();
    }
}
