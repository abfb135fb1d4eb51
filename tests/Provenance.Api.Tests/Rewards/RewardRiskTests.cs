using Microsoft.Extensions.Options;
using Provenance.Api.Rewards;
using Provenance.Core.Verdicts;
using Provenance.Storage;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Tests.Rewards;

/// <summary>The anti-farming score's time windows on a real SQLite database, driven with chosen claim times.</summary>
public sealed class RewardRiskTests : IDisposable
{
    private const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.50";
    private static readonly DateTimeOffset Start = new(2027, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-risk-").FullName;
    private readonly RewardRisk _risk;

    public RewardRiskTests()
    {
        var database = TestStorage.Open(_dir);
        _risk = new RewardRisk(Options.Create(new RewardOptions()), new RedemptionStore(database), new ShipmentStore(database), new ScanStore(database));
    }

    [Fact]
    public void Claims_from_one_device_at_a_timers_exact_gaps_are_regular_and_fast_while_a_persons_uneven_gaps_are_not_regular()
    {
        var timer = Enumerable.Range(0, 6).Select(i => Assess("bot", "dev-timer", "10.0.1.0/24", Start.AddSeconds(60 * i))).ToList();
        var person = new[] { 0, 7, 100, 131, 371, 383 }.Select(s => Assess("amy", "dev-amy", "10.0.2.0/24", Start.AddMinutes(5).AddSeconds(s))).ToList();

        Assert.DoesNotContain(RewardRisk.DeviceVelocity, Codes(timer[2]));
        Assert.Contains(RewardRisk.DeviceVelocity, Codes(timer[3]));
        Assert.DoesNotContain(RewardRisk.RegularIntervals, Codes(timer[4]));
        Assert.Contains(RewardRisk.RegularIntervals, Codes(timer[5]));
        Assert.DoesNotContain(RewardRisk.RegularIntervals, Codes(person[5]));
        Assert.True(timer[5].Score >= 50, $"a timer's sixth claim scores {timer[5].Score}");
    }

    [Fact]
    public void Claims_an_hour_apart_leave_the_velocity_window_and_a_user_agent_is_shared_from_its_twentieth_user()
    {
        var spaced = Enumerable.Range(0, 5).Select(i => Assess("slow", "dev-slow", $"10.1.{i}.0/24", Start.AddMinutes(61 * i))).ToList();
        var crowd = Enumerable.Range(0, 20).Select(i => Assess($"user-{i}", $"dev-{i}", $"10.2.{i}.0/24", Start.AddSeconds(i), agent: "FarmApp/1.0")).ToList();

        Assert.All(spaced, a => Assert.DoesNotContain(RewardRisk.DeviceVelocity, Codes(a)));
        Assert.DoesNotContain(RewardRisk.SharedUserAgent, Codes(crowd[18]));
        Assert.Contains(RewardRisk.SharedUserAgent, Codes(crowd[19]));
    }

    [Fact]
    public void No_user_agent_and_a_script_user_agent_are_scripted_clients_and_a_phone_is_not()
    {
        Assert.Contains(RewardRisk.ScriptedClient, Codes(Assess("a", "d-a", "10.3.0.0/24", Start, agent: null)));
        Assert.Contains(RewardRisk.ScriptedClient, Codes(Assess("b", "d-b", "10.3.1.0/24", Start, agent: "Go-http-client/2.0")));
        Assert.DoesNotContain(RewardRisk.ScriptedClient, Codes(Assess("c", "d-c", "10.3.2.0/24", Start)));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private RiskAssessment Assess(string user, string device, string network, DateTimeOffset at, string? agent = Phone) =>
        _risk.Assess(new RedemptionContext("09506000134352", Guid.NewGuid().ToString("N"), user, device, network, agent, ScanLocation.None, at));

    private static HashSet<string> Codes(RiskAssessment a) => [.. a.Reasons.Select(r => r.Code)];
}
