using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Provenance.Deploy.Tests;

/// <summary>
/// deploy/compose.yaml: rendered by `docker compose config` when the compose plugin is installed,
/// otherwise by deploy/validate/validate-compose.mjs (same interpolation rules, Compose
/// Specification schema); the schema check by the node script runs in every case.
/// </summary>
public sealed class ComposeTests
{
    private static readonly Dictionary<string, string?> DummySecrets = new()
    {
        ["MQTT_INGESTION_PASSWORD"] = "dummy-mqtt-password",
        ["INFLUX_PASSWORD"] = "dummy-influx-password",
        ["INFLUX_ADMIN_PASSWORD"] = "dummy-influx-admin-password",
        ["CODES_DOMAIN"] = "id.example.test",
        ["CODES_KEY_1"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        // Optional bind addresses left to their defaults whatever the developer's shell has.
        ["MQTT_GATEWAY_BIND"] = null,
        ["API_BIND"] = null,
        ["PROVENANCE_TAG"] = null,
    };

    private readonly ITestOutputHelper _output;

    public ComposeTests(ITestOutputHelper output) => _output = output;

    private static string ComposeFile => Path.Combine(RepoPaths.Deploy, "compose.yaml");

    [Fact]
    public async Task Compose_file_is_valid_when_the_required_secrets_are_supplied()
    {
        var (result, tool) = await ComposeConfigAsync(ComposeFile, ["-q"], DummySecrets);
        _output.WriteLine($"validated with {tool}");
        Assert.True(result.ExitCode == 0, result.Describe(tool));

        var schema = await NodeValidators.RunAsync("validate-compose.mjs", ["-q", ComposeFile], DummySecrets);
        Assert.True(schema.ExitCode == 0, schema.Describe("validate-compose.mjs"));
    }

    [Fact]
    public async Task Compose_file_is_refused_when_a_required_secret_is_missing()
    {
        var env = new Dictionary<string, string?>(DummySecrets) { ["CODES_KEY_1"] = null };
        var (result, tool) = await ComposeConfigAsync(ComposeFile, ["-q"], env);
        Assert.True(result.ExitCode != 0, $"{tool} accepted the compose file without CODES_KEY_1");
        Assert.Contains("CODES_KEY_1", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_check_rejects_a_compose_file_with_a_wrong_type()
    {
        var dir = Directory.CreateTempSubdirectory("prov-compose-").FullName;
        try
        {
            var broken = Path.Combine(dir, "compose.yaml");
            var text = await File.ReadAllTextAsync(ComposeFile);
            Assert.Contains("replicas: 3", text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(broken, text.Replace("replicas: 3", "replicas: three", StringComparison.Ordinal));

            var result = await NodeValidators.RunAsync("validate-compose.mjs", ["-q", broken], DummySecrets);

            Assert.True(result.ExitCode != 0, "the validator accepted replicas: three");
            Assert.Contains("replicas must be integer", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Ingestion_runs_several_replicas_in_one_shared_group_with_client_ids_derived_per_container()
    {
        var services = await RenderedServicesAsync();
        var ingestion = services.GetProperty("ingestion");
        var env = ingestion.GetProperty("environment");

        Assert.True(ingestion.GetProperty("deploy").GetProperty("replicas").GetInt32() >= 2, "ingestion needs deploy.replicas >= 2");
        Assert.Equal("ingestion", env.GetProperty("Mqtt__SharedGroup").GetString());
        Assert.Equal("ingestion", env.GetProperty("Provenance__Roles").GetString());
        Assert.Equal("false", env.GetProperty("Broker__Embedded").GetString());
        Assert.Equal("mosquitto", env.GetProperty("Mqtt__Host").GetString());
        // Replicas share their environment: a fixed client id there would make them kick each other off.
        Assert.False(env.TryGetProperty("Mqtt__ClientId", out _), "ingestion replicas must not share a fixed Mqtt__ClientId");
        var entrypoint = string.Join(' ', ingestion.GetProperty("entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("Mqtt__ClientId=", entrypoint, StringComparison.Ordinal);
        Assert.Contains("${HOSTNAME}", entrypoint, StringComparison.Ordinal);

        var api = services.GetProperty("api").GetProperty("environment");
        Assert.Equal("api", api.GetProperty("Provenance__Roles").GetString());
        Assert.Equal(ingestion.GetProperty("image").GetString(), services.GetProperty("api").GetProperty("image").GetString());
    }

    [Fact]
    public async Task Infrastructure_ports_are_published_on_loopback_only_and_ingestion_publishes_none()
    {
        var services = await RenderedServicesAsync();

        Assert.False(services.GetProperty("ingestion").TryGetProperty("ports", out var ingestionPorts) && ingestionPorts.GetArrayLength() > 0,
            "ingestion replicas must not publish ports (they would collide and need none)");
        var published = new List<string>();
        foreach (var service in services.EnumerateObject())
        {
            if (!service.Value.TryGetProperty("ports", out var ports))
            {
                continue;
            }

            foreach (var port in ports.EnumerateArray())
            {
                var hostIp = port.TryGetProperty("host_ip", out var ip) ? ip.GetString() : null;
                published.Add($"{service.Name}: {hostIp ?? "0.0.0.0"}:{port.GetProperty("published").GetString()}");
                Assert.True(hostIp == "127.0.0.1", $"{service.Name} publishes port {port.GetProperty("target")} on {hostIp ?? "all interfaces"} by default");
            }
        }

        _output.WriteLine(string.Join('\n', published));
        Assert.Contains(published, p => p.StartsWith("mosquitto:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mosquitto_service_mounts_the_shipped_configuration_and_persists_its_data()
    {
        var services = await RenderedServicesAsync();
        var mosquitto = services.GetProperty("mosquitto");
        var volumes = mosquitto.GetProperty("volumes").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : $"{v.GetProperty("source").GetString()}:{v.GetProperty("target").GetString()}").ToList();

        Assert.StartsWith("eclipse-mosquitto:2", mosquitto.GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.Contains(volumes, v => v.Contains("mosquitto", StringComparison.Ordinal) && v.Contains(":/mosquitto/config", StringComparison.Ordinal));
        Assert.Contains(volumes, v => v.StartsWith("mosquitto-data:", StringComparison.Ordinal) && v.Contains("/mosquitto/data", StringComparison.Ordinal));
        Assert.Equal("/mosquitto/data/", MosquittoConfig.Value(await File.ReadAllTextAsync(MosquittoConfig.ShippedPath), "persistence_location"));
    }

    [Fact]
    public async Task No_secret_value_is_written_in_the_compose_file_or_the_env_example()
    {
        var secretKey = new Regex("(?i)(password|token|secret|keys__)");
        var assignment = new Regex(@"^\s*([A-Za-z0-9_]+):\s*(\S.*)$");
        var checkedKeys = new List<string>();
        foreach (var line in await File.ReadAllLinesAsync(ComposeFile))
        {
            var m = assignment.Match(line);
            if (!m.Success || line.TrimStart().StartsWith('#') || !secretKey.IsMatch(m.Groups[1].Value))
            {
                continue;
            }

            checkedKeys.Add(m.Groups[1].Value);
            Assert.Matches(@"^\$\{[A-Z0-9_]+:\?[^}]+\}$", m.Groups[2].Value.Trim());
        }

        Assert.Contains("Mqtt__Password", checkedKeys);
        Assert.Contains("Codes__Keys__1", checkedKeys);
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Deploy, ".env.example")))
        {
            if (!line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            {
                Assert.True(line.EndsWith('='), $".env.example must not carry a value: {line}");
            }
        }
    }

    private async Task<JsonElement> RenderedServicesAsync()
    {
        var (result, tool) = await ComposeConfigAsync(ComposeFile, ["--format", "json"], DummySecrets);
        Assert.True(result.ExitCode == 0, result.Describe(tool));
        _output.WriteLine($"rendered with {tool}");
        using var doc = JsonDocument.Parse(result.StdOut);
        return doc.RootElement.GetProperty("services").Clone();
    }

    /// <summary>`docker compose -f FILE config ARGS` when the plugin exists, else the offline validator.</summary>
    private static async Task<(ProcessResult Result, string Tool)> ComposeConfigAsync(string file, string[] args, IReadOnlyDictionary<string, string?> env)
    {
        var docker = ProcessRunner.FindOnPath("docker");
        if (docker is not null && (await ProcessRunner.RunAsync(docker, ["compose", "version"])).ExitCode == 0)
        {
            return (await ProcessRunner.RunAsync(docker, ["compose", "-f", file, "config", .. args], RepoPaths.Deploy, env), "docker compose config");
        }

        return (await NodeValidators.RunAsync("validate-compose.mjs", [.. args, file], env), "validate-compose.mjs (no docker compose plugin)");
    }
}
