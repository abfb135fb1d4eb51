namespace Provenance.Deploy.Tests;

/// <summary>
/// A temporary mosquitto set-up for a test: password and ACL files written by the shipped user scripts, and brokers
/// started from the shipped mosquitto.conf with only listener and paths rewritten (<see cref="MosquittoConfig"/>).
/// </summary>
internal sealed class MosquittoTestFiles : IDisposable
{
    public MosquittoTestFiles(string prefix = "prov-mosquitto-") => Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;

    public string Directory { get; }

    public string PasswordFile => Path.Combine(Directory, "passwd");

    public string AclFile => Path.Combine(Directory, "acl");

    /// <summary>Runs a shipped user script on these files, owned by the user the test broker runs as.</summary>
    public Task<ProcessResult> RunScriptAsync(string script, params string[] args) =>
        ProcessRunner.RunAsync(
            "bash",
            [Path.Combine(RepoPaths.Mosquitto, script), "--passwd", PasswordFile, "--acl", AclFile, "--owner", Environment.UserName, .. args]);

    public async Task AddAsync(string script, params string[] args)
    {
        var r = await RunScriptAsync(script, args);
        Assert.True(r.ExitCode == 0, r.Describe(script));
    }

    /// <summary>Starts a broker from the shipped configuration, optionally changed by <paramref name="tweak"/>.</summary>
    public async Task<MosquittoProcess> StartBrokerAsync(Func<MosquittoConfig, MosquittoConfig>? tweak = null, string? dataDir = null, int? port = null)
    {
        var p = port ?? FreePort.Next();
        dataDir ??= Path.Combine(Directory, "data-" + p);
        System.IO.Directory.CreateDirectory(dataDir);
        var includeDir = Path.Combine(Directory, "conf.d");
        System.IO.Directory.CreateDirectory(includeDir);
        var config = MosquittoConfig.Adapt(await File.ReadAllTextAsync(MosquittoConfig.ShippedPath), p, dataDir, PasswordFile, AclFile, includeDir);
        if (tweak is not null)
        {
            config = tweak(config);
        }

        var path = await config.WriteAsync(Path.Combine(Directory, $"mosquitto-{p}-{Guid.NewGuid():N}.conf"));
        return await MosquittoProcess.StartAsync(path, p);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
