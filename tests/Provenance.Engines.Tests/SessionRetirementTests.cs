using Provenance.Engines.Tests.Support;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// An ingestion instance gone for good (a StatefulSet scaled down): mosquitto keeps routing a share of the shared group's
/// messages to its offline session until the session expires, so with gateways that trust the broker's PUBACK those
/// seals wait there, unseen. <c>provenance mqtt retire</c> takes them over, commits them once, and ends the session.
/// </summary>
public sealed class SessionRetirementTests(ITestOutputHelper output)
{
    private const int Before = 200;
    private const int After = 100;

    [Fact]
    public async Task Retiring_a_departed_members_session_commits_what_the_broker_queued_for_it_and_routes_everything_new_to_the_rest()
    {
        await using var rig = await EngineRig.StartAsync(Before + After, withInflux: false);
        await using var survivor = rig.Instance("ingest-1");
        await using var departed = rig.Instance("ingest-2");
        await survivor.StartAsync();
        await departed.StartAsync();
        departed.Kill();

        // The gateway trusts the broker's PUBACK: what the broker queued for the departed member exists nowhere else.
        var gateway = rig.SimulatorOptions(rate: 200) with { Ack = AckMode.Broker };
        await Simulation.RunAsync(gateway with { Count = Before }, TimeSpan.FromMinutes(2));
        await survivor.WaitForDrainedAsync(TimeSpan.FromMinutes(1));
        var stranded = Before - await rig.WaitForStoredSealsAsync(Before, TimeSpan.FromSeconds(3));
        output.WriteLine($"[figures] {Before} seals published with one of two members gone: {stranded} wait in its session");
        Assert.True(stranded > 0, "mosquitto routed nothing to the offline member's session: the scenario this verb exists for did not occur");

        // Connects as ingest-1's configuration with --client-id ingest-2: the user name follows the client id.
        var retired = await rig.Node.RunCliAsync(["mqtt", "retire", "--client-id", "ingest-2", "--data", rig.DataDirectory, .. rig.Broker.HostArguments("ingest-1")]);
        output.WriteLine(retired);
        Assert.Contains("ingest-2: ", retired, StringComparison.Ordinal);
        Assert.Contains("session ended", retired, StringComparison.Ordinal);
        var afterRetire = StreamFigures.Of("seals after retiring the departed member's session", Before, rig.AcknowledgedEventIds(), HostDatabase.SealEventIds(rig.DataDirectory));
        afterRetire.WriteTo(output);
        afterRetire.AssertExactlyOnce();

        await Simulation.RunAsync(gateway, TimeSpan.FromMinutes(2));
        await rig.WaitForStoredSealsAsync(Before + After, TimeSpan.FromSeconds(30));
        var all = StreamFigures.Of("seals published after the retirement", Before + After, rig.AcknowledgedEventIds(), HostDatabase.SealEventIds(rig.DataDirectory));
        all.WriteTo(output);
        all.AssertExactlyOnce();

        var again = await rig.Node.RunCliAsync(["mqtt", "retire", "--client-id", "ingest-2", "--data", rig.DataDirectory, .. rig.Broker.HostArguments("ingest-1")]);
        Assert.Contains("no session on the broker", again, StringComparison.Ordinal);
        var verify = await rig.Node.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact", verify, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retire_refuses_the_embedded_broker_naming_the_setting()
    {
        using var dir = new TempDirectory("prov-retire");
        await using var retire = ChildProcess.StartDll(RepositoryPaths.HostDll, ["mqtt", "retire", "--client-id", "ingest-2", "--data", dir.Combine("data")], dir.Path);

        var code = await retire.WaitForExitAsync(TimeSpan.FromMinutes(1));

        output.WriteLine($"exit {code}: {retire.Output}");
        Assert.Equal(2, code);
        Assert.Contains("Broker:Embedded", retire.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retire_with_a_wrong_password_exits_1_and_says_what_to_check()
    {
        await using var broker = await MosquittoRig.StartAsync(OfflineSubscriber.Gateway);
        using var dir = new TempDirectory("prov-retire-auth");
        var settings = broker.HostArguments("ingest-1").Select(a => a.StartsWith("--Mqtt:Password=", StringComparison.Ordinal) ? "--Mqtt:Password=wrong" : a);
        await using var retire = ChildProcess.StartDll(RepositoryPaths.HostDll, ["mqtt", "retire", "--client-id", "ingest-2", "--data", dir.Combine("data"), .. settings], dir.Path);

        var code = await retire.WaitForExitAsync(TimeSpan.FromMinutes(1));

        output.WriteLine($"exit {code}: {retire.Output}");
        Assert.Equal(1, code);
        Assert.Contains("check Mqtt:Username and Mqtt:Password", retire.Output, StringComparison.Ordinal);
    }
}
