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
        ["POSTGRES_PASSWORD"] = "dummypostgrespassword",
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
            Assert.Contains("replicas: 1", text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(broken, text.Replace("replicas: 1", "replicas: three", StringComparison.Ordinal));

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
    public async Task Ingestion_runs_as_several_instances_each_with_its_own_MQTT_user_in_one_shared_group_and_one_runs_the_sinks()
    {
        var services = await RenderedServicesAsync();
        var instances = services.EnumerateObject().Where(s => s.Name.StartsWith("ingestion-", StringComparison.Ordinal)).ToList();

        Assert.True(instances.Count >= 2, "ingestion needs at least two instances");
        var users = new HashSet<string>(StringComparer.Ordinal);
        var sinks = 0;
        foreach (var instance in instances)
        {
            var env = instance.Value.GetProperty("environment");
            Assert.Equal("ingestion", env.GetProperty("Mqtt__SharedGroup").GetString());
            Assert.Equal("false", env.GetProperty("Broker__Embedded").GetString());
            Assert.Equal("mosquitto", env.GetProperty("Mqtt__Host").GetString());
            // The shipped mosquitto binds each session to its user: instances sharing a user would kick each other off.
            Assert.True(users.Add(env.GetProperty("Mqtt__Username").GetString()!), $"{instance.Name} shares its MQTT user");
            Assert.Equal(env.GetProperty("Mqtt__Username").GetString(), env.GetProperty("Mqtt__ClientId").GetString());
            var roles = env.GetProperty("Provenance__Roles").GetString()!.Split(',');
            Assert.Contains("ingestion", roles);
            sinks += roles.Contains("sinks") ? 1 : 0;
            Assert.Equal(services.GetProperty("api").GetProperty("image").GetString(), instance.Value.GetProperty("image").GetString());
        }

        Assert.Equal(1, sinks);
        var api = services.GetProperty("api").GetProperty("environment");
        Assert.Equal("api", api.GetProperty("Provenance__Roles").GetString());
        Assert.False(api.TryGetProperty("Mqtt__Username", out _), "the scan API must not have an MQTT user");
    }

    [Fact]
    public async Task Infrastructure_ports_are_published_on_loopback_only_and_ingestion_publishes_none()
    {
        var services = await RenderedServicesAsync();

        foreach (var instance in services.EnumerateObject().Where(s => s.Name.StartsWith("ingestion-", StringComparison.Ordinal)))
        {
            Assert.False(instance.Value.TryGetProperty("ports", out var ingestionPorts) && ingestionPorts.GetArrayLength() > 0,
                $"{instance.Name} must not publish ports (it needs none)");
        }

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
        Assert.Contains("POSTGRES_PASSWORD", checkedKeys);
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Deploy, ".env.example")))
        {
            if (!line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            {
                Assert.True(line.EndsWith('='), $".env.example must not carry a value: {line}");
            }
        }
    }

    [Fact]
    public async Task Compose_file_is_refused_without_the_PostgreSQL_password()
    {
        var env = new Dictionary<string, string?>(DummySecrets) { ["POSTGRES_PASSWORD"] = null };
        var (result, tool) = await ComposeConfigAsync(ComposeFile, ["-q"], env);
        Assert.True(result.ExitCode != 0, $"{tool} accepted the compose file without POSTGRES_PASSWORD");
        Assert.Contains("POSTGRES_PASSWORD", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_provenance_service_keeps_its_state_in_the_shared_PostgreSQL_and_waits_for_the_migration()
    {
        var services = await RenderedServicesAsync();
        var product = ProductServices(services).Where(s => s.Name != "migrate").ToList();

        Assert.Contains(product, s => s.Name == "api");
        Assert.True(product.Count(s => s.Name.StartsWith("ingestion-", StringComparison.Ordinal)) >= 2, "ingestion needs at least two instances");
        foreach (var (name, service) in product)
        {
            var env = service.GetProperty("environment");
            Assert.Equal("postgres", env.GetProperty("Storage__Provider").GetString());
            // Only the migrate service changes the schema; an instance behind it refuses to start.
            Assert.Equal("false", env.GetProperty("Storage__Migrate").GetString());
            var connection = env.GetProperty("ConnectionStrings__Provenance").GetString()!;
            Assert.Contains("Host=postgres;", connection, StringComparison.Ordinal);
            Assert.Contains($"Password={DummySecrets["POSTGRES_PASSWORD"]}", connection, StringComparison.Ordinal);

            var dependsOn = service.GetProperty("depends_on");
            Assert.True(dependsOn.TryGetProperty("migrate", out var migrate), $"{name} does not wait for the migration");
            Assert.Equal("service_completed_successfully", migrate.GetProperty("condition").GetString());
            Assert.Equal("service_healthy", dependsOn.GetProperty("postgres").GetProperty("condition").GetString());
            // The shared volume carries the per-installation key files every instance must agree on.
            Assert.Contains("provenance-data:/var/lib/provenance", Volumes(service));
        }
    }

    [Fact]
    public async Task Migrate_service_runs_db_migrate_once_with_the_product_image_after_postgres_is_healthy()
    {
        var services = await RenderedServicesAsync();
        var migrate = services.GetProperty("migrate");

        Assert.Equal(["db", "migrate"], migrate.GetProperty("command").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(services.GetProperty("api").GetProperty("image").GetString(), migrate.GetProperty("image").GetString());
        Assert.Equal("no", migrate.GetProperty("restart").GetString());
        Assert.Equal("service_healthy", migrate.GetProperty("depends_on").GetProperty("postgres").GetProperty("condition").GetString());
        Assert.False(migrate.GetProperty("depends_on").TryGetProperty("migrate", out _), "migrate waits for itself");
        var env = migrate.GetProperty("environment");
        Assert.Equal("postgres", env.GetProperty("Storage__Provider").GetString());
        Assert.Equal(
            services.GetProperty("api").GetProperty("environment").GetProperty("ConnectionStrings__Provenance").GetString(),
            env.GetProperty("ConnectionStrings__Provenance").GetString());
    }

    [Fact]
    public async Task Postgres_service_is_PostgreSQL_15_on_a_named_volume_with_a_pg_isready_healthcheck_and_no_published_port()
    {
        var services = await RenderedServicesAsync();
        var postgres = services.GetProperty("postgres");

        Assert.Equal("postgres:15", postgres.GetProperty("image").GetString());
        Assert.Contains("postgres-data:/var/lib/postgresql/data", Volumes(postgres));
        Assert.Contains("pg_isready", postgres.GetProperty("healthcheck").GetProperty("test").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(DummySecrets["POSTGRES_PASSWORD"], postgres.GetProperty("environment").GetProperty("POSTGRES_PASSWORD").GetString());
        Assert.False(postgres.TryGetProperty("ports", out var ports) && ports.GetArrayLength() > 0, "postgres must not publish a port (operators use docker compose exec)");
    }

    [Fact]
    public async Task Scan_API_scales_without_a_fixed_container_name_or_a_single_host_port()
    {
        var api = (await RenderedServicesAsync()).GetProperty("api");

        Assert.False(api.TryGetProperty("container_name", out _), "a fixed container_name prevents --scale api=N");
        var port = Assert.Single(api.GetProperty("ports").EnumerateArray());
        Assert.Equal("127.0.0.1", port.GetProperty("host_ip").GetString());
        // One host port per instance: a range, so `docker compose up --scale api=N` does not collide on it.
        Assert.Matches(@"^\d+-\d+$", port.GetProperty("published").GetString());
        Assert.Equal("api", api.GetProperty("environment").GetProperty("Provenance__Roles").GetString());
    }

    private static IEnumerable<(string Name, JsonElement Service)> ProductServices(JsonElement services) =>
        services.EnumerateObject()
            .Where(s => s.Value.GetProperty("image").GetString()!.StartsWith("provenance:", StringComparison.Ordinal))
            .Select(s => (s.Name, s.Value));

    private static List<string> Volumes(JsonElement service) =>
        service.GetProperty("volumes").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : $"{v.GetProperty("source").GetString()}:{v.GetProperty("target").GetString()}").ToList();

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
