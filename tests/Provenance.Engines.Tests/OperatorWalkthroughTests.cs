using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provenance.Engines.Tests.Support;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue 21, acceptance: an operator follows deploy/README.md's runbook — the blocks marked <c>runbook:</c> are run as
/// written — on a "machine" that is a temporary root: InfluxDB 1.x with auth and a write-only user, mosquitto installed
/// and populated by the shipped scripts, <c>/etc/provenance/env</c> made from the shipped template, the service started
/// as the unit starts it (its environment, its ExecStart; inside its sandbox when run as root), the plant registered
/// and codes issued through <c>provenance-admin</c>, and the gateway simulator run as the runbook shows. The codes must
/// scan authentic, and every seal must be stored attested and counted in InfluxDB. What a test cannot do (apt-get, useradd, systemctl, real /etc)
/// is listed in the runbook's "What the walkthrough test replaces".
/// </summary>
public sealed partial class OperatorWalkthroughTests(ITestOutputHelper output)
{
    private const int Seals = 100;

    [Fact]
    public async Task Following_the_deploy_runbook_ends_with_seals_scanned_authentic_and_every_seal_counted_in_InfluxDB()
    {
        using var machine = new TempDirectory("prov-runbook");
        var state = Directory.CreateDirectory(machine.Combine("var", "lib", "provenance")).FullName;
        var etcProvenance = Directory.CreateDirectory(machine.Combine("etc", "provenance")).FullName;
        var etcMosquitto = machine.Combine("etc", "mosquitto");
        var httpPort = FreePort.Next();

        // 2. InfluxDB with authentication: the first user is the administrator, then the runbook's statements.
        const string adminPassword = "runbook-influx-admin";
        const string writerPassword = "runbook-influx-writer";
        await using var influx = await InfluxdProcess.StartWithAuthAsync();
        AssertInflux(await influx.QueryAsAsync($"CREATE USER admin WITH PASSWORD '{adminPassword}' WITH ALL PRIVILEGES"), "the first user");
        foreach (var statement in Runbook.Block("influxdb"))
        {
            AssertInflux(await influx.QueryAsAsync(statement.Replace("CHANGE_ME_influx_writer_password", writerPassword, StringComparison.Ordinal), "admin", adminPassword), statement);
        }

        // 3. mosquitto: the runbook's script lines, /etc/mosquitto inside the temporary root; the broker from the installed file.
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Runbook.Block("mosquitto"))
        {
            var words = Command(line);
            if (words[0] == "systemctl")
            {
                continue;
            }

            var script = Path.Combine(RepoPaths.Root, words[0]);
            var args = words.Skip(1).Select(w => w.Replace("/etc/mosquitto", etcMosquitto, StringComparison.Ordinal)).ToList();
            if (script.EndsWith("install-bare-host.sh", StringComparison.Ordinal))
            {
                args.AddRange(["--root", machine.Path]);
            }

            var run = await ProcessRunner.RunAsync("bash", [script, .. args]);
            Assert.True(run.ExitCode == 0, run.Describe(line));
            foreach (Match m in GeneratedPassword().Matches(run.StdOut))
            {
                passwords[m.Groups[1].Value] = m.Groups[2].Value;
            }
        }

        var mqttPort = FreePort.Next();
        var managementPort = FreePort.Next();
        var brokerConfig = MosquittoConfig.Adapt(
            await File.ReadAllTextAsync(Path.Combine(etcMosquitto, "mosquitto.conf")), mqttPort, machine.Combine("var", "lib", "mosquitto"),
            Path.Combine(etcMosquitto, "passwd"), Path.Combine(etcMosquitto, "acl"), Path.Combine(etcMosquitto, "conf.d"));
        await using var broker = await MosquittoProcess.StartAsync(await brokerConfig.WriteAsync(machine.Combine("mosquitto-test.conf")), mqttPort);

        // 4. /etc/provenance/env from the shipped template, every CHANGE_ME replaced, ports and paths moved.
        var template = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Deploy, "systemd", "provenance.env.example"));
        var envText = template
            .Replace("CHANGE_ME_base64_of_32_random_bytes", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), StringComparison.Ordinal)
            .Replace("CHANGE_ME_ingestion_password", passwords["ingestion"], StringComparison.Ordinal)
            .Replace("CHANGE_ME_influx_writer_password", writerPassword, StringComparison.Ordinal)
            .Replace("Mqtt__Port=1883", $"Mqtt__Port={mqttPort}", StringComparison.Ordinal)
            .Replace("Influx__Url=http://127.0.0.1:8086", $"Influx__Url={influx.Url}", StringComparison.Ordinal)
            .Replace("urls=http://127.0.0.1:8080", $"urls=http://127.0.0.1:{httpPort}", StringComparison.Ordinal)
            .Replace("Management__Url=http://127.0.0.1:9464", $"Management__Url=http://127.0.0.1:{managementPort}", StringComparison.Ordinal)
            .Replace("/var/lib/provenance", state, StringComparison.Ordinal);
        Assert.DoesNotContain(ReadEnvironmentFile(envText), s => s.Value.Contains("CHANGE_ME", StringComparison.Ordinal));
        var envFile = Path.Combine(etcProvenance, "env");
        await File.WriteAllTextAsync(envFile, envText);

        // 5. The service as the unit runs it: its Environment= defaults, then the env file, then ExecStart.
        await UnitSandbox.GiveToServiceUserAsync(state);
        var unit = UnitFile.Shipped;
        Assert.Equal("/opt/provenance/provenance serve", unit.All("Service", "ExecStart").Single());
        var sandbox = await UnitSandbox.FromAsync(unit);
        var serveInfo = sandbox.StartInfo(RepoPaths.HostProgram, ["serve"], state, machine.Combine("allowed-syscalls.txt"));
        foreach (var (key, value) in unit.All("Service", "Environment").Select(Setting))
        {
            serveInfo.Environment[key] = value.Replace("/var/lib/provenance", state, StringComparison.Ordinal);
        }

        foreach (var (key, value) in ReadEnvironmentFile(envText))
        {
            serveInfo.Environment[key] = value;
        }

        await using var service = ChildProcess.Start(serveInfo);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitReadyAsync(http, service);

        // 6. Plant, gateway, product, codes: the runbook's provenance-admin lines.
        var admin = new Dictionary<string, string?>
        {
            ["PROVENANCE_USER"] = UnitSandbox.IsRoot ? "nobody" : Environment.UserName,
            ["PROVENANCE_PROGRAM"] = RepoPaths.HostProgram,
            ["PROVENANCE_ENV_FILE"] = envFile,
            ["PROVENANCE_STATE_DIRECTORY"] = state,
        };
        foreach (var line in Runbook.Block("cli"))
        {
            var words = Command(line);
            Assert.Equal("provenance-admin", words[0]);
            var run = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Deploy, "systemd", "provenance-admin"), .. words.Skip(1).Select(w => w.Replace("/var/lib/provenance", state, StringComparison.Ordinal))], environment: admin);
            Assert.True(run.ExitCode == 0, run.Describe(line));
            output.WriteLine($"$ {line}\n{run.StdOut.Trim()}");
        }

        var csv = Directory.GetFiles(Path.Combine(state, "labels"), "*.csv").Single();
        var urls = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(Seals, urls.Count);

        // 7. The gateway: the runbook's firmware-sim line, with the password add-gateway.sh printed.
        var gatewayLine = Runbook.Block("gateway").Single();
        var simArgs = Command(gatewayLine).Skip(1).Select(w => w switch
        {
            "gw-1.key.pem" => Path.Combine(state, "gateway-keys", "gw-1.key.pem"),
            "labels.csv" => csv,
            "1883" => mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "CHANGE_ME_gateway_mqtt_password" => passwords["gw-1"],
            _ => w.Replace("/var/lib/firmware-sim", machine.Combine("var", "lib", "firmware-sim"), StringComparison.Ordinal),
        }).ToList();
        await using (var gateway = ChildProcess.StartDll(RepositoryPaths.FirmwareSimDll, simArgs, machine.Path))
        {
            var code = await gateway.WaitForExitAsync(TimeSpan.FromMinutes(3));
            output.WriteLine($"$ {gatewayLine}\n{gateway.Output}");
            Assert.True(code == 0, $"firmware-sim exited {code}:\n{gateway.Output}\n--- serve ---\n{service.Output}");
            Assert.Contains(gateway.Lines, l => l.Contains("a message leaves the queue when ingestion acknowledges it", StringComparison.Ordinal));
        }

        // 8. Check: codes scan authentic (every third one, keeping the public rate limit's Retry-After), every seal is
        // stored and attested, InfluxDB counts every seal, the ledger verifies, readiness is green.
        var verdicts = new List<string>();
        foreach (var url in urls.Where((_, i) => i % 3 == 0))
        {
            verdicts.Add(await ScanAsync(http, url, service));
        }

        var health = await WaitDrainedAsync(management);
        var (status, body) = await influx.QueryAsAsync("SELECT count(event_id) FROM seal", "admin", adminPassword, "provenance");
        var counted = JsonDocument.Parse(body).RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt64();
        var writerRead = await influx.QueryAsAsync("SELECT count(event_id) FROM seal", "provenance_writer", writerPassword, "provenance");
        var verify = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Deploy, "systemd", "provenance-admin"), "ledger", "verify"], environment: admin);
        var ready = await http.GetFromJsonAsync<JsonElement>("/health/ready");
        output.WriteLine($"verdicts: {string.Join(", ", verdicts.GroupBy(v => v).Select(g => $"{g.Key} {g.Count()}"))}; InfluxDB seals: {counted}; writer's read attempt: {writerRead.Body}");
        output.WriteLine($"ready: {ready}\nhealth: {health}\n{verify.StdOut}\nsandbox: {(UnitSandbox.IsRoot ? "seccomp + mounts + user nobody" : "seccomp only (not root)")}");

        Assert.Equal(34, verdicts.Count);
        Assert.All(verdicts, v => Assert.Equal("authentic", v));
        Assert.Equal(Seals, HostDatabase.SealEventIds(state).Count);
        Assert.Equal(Seals, HostDatabase.AttestedSeals(state));
        Assert.Equal(200, status);
        Assert.Equal(Seals, counted);
        Assert.Contains("not authorized", writerRead.Body, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.Describe("ledger verify"));
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("sink:timeseries").GetProperty("status").GetString());
    }

    /// <summary>Scans like a well-behaved client: on 429 it waits the Retry-After the API sends, then asks again.</summary>
    private static async Task<string> ScanAsync(HttpClient http, string url, ChildProcess service)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url).PathAndQuery);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < 5 && response.Headers.RetryAfter?.Delta is { } wait)
            {
                await Task.Delay(wait);
                continue;
            }

            Assert.True(response.IsSuccessStatusCode, $"scan {url}: HTTP {(int)response.StatusCode} {answer}\n{service.Output}");
            return JsonDocument.Parse(answer).RootElement.GetProperty("verdict").GetString()!;
        }
    }

    /// <summary>A runbook line as words, without its <c>sudo</c>.</summary>
    private static List<string> Command(string line)
    {
        var words = Runbook.Words(line).ToList();
        return words[0] == "sudo" ? words[1..] : words;
    }

    private static (string Key, string Value) Setting(string assignment)
    {
        var eq = assignment.IndexOf('=', StringComparison.Ordinal);
        return (assignment[..eq], assignment[(eq + 1)..]);
    }

    /// <summary>KEY=value lines as systemd's EnvironmentFile= reads them (comments and blank lines skipped).</summary>
    private static IEnumerable<(string Key, string Value)> ReadEnvironmentFile(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal)).Select(Setting);

    private static void AssertInflux((int Status, string Body) answer, string what) =>
        Assert.True(answer.Status == 200 && !answer.Body.Contains("\"error\"", StringComparison.Ordinal), $"InfluxDB refused {what}: {answer.Status} {answer.Body}");

    private static async Task WaitReadyAsync(HttpClient http, ChildProcess service)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            Assert.False(service.HasExited, $"the service exited:\n{service.Output}");
            try
            {
                using var response = await http.GetAsync("/health/ready", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>Polls <c>/health</c> until every sink caught up with the journal.</summary>
    private static async Task<JsonElement> WaitDrainedAsync(HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var health = await http.GetFromJsonAsync<JsonElement>("/health", timeout.Token);
            if (health.GetProperty("journal").GetProperty("lag").EnumerateObject().All(l => l.Value.GetInt64() == 0))
            {
                return health;
            }

            await Task.Delay(200, timeout.Token);
        }
    }

    [GeneratedRegex(@"generated password for '([a-z0-9_-]+)'[^:]*: (\S+)")]
    private static partial Regex GeneratedPassword();
}
