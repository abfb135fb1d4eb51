using System.Text.Json;
using Xunit.Abstractions;
using YamlLines = System.Collections.Generic.IReadOnlyList<string>;

namespace Provenance.Deploy.Tests;

/// <summary>deploy/k8s against the Kubernetes OpenAPI schemas (deploy/validate/validate-k8s.mjs).</summary>
public sealed class KubernetesTests
{
    private readonly ITestOutputHelper _output;

    public KubernetesTests(ITestOutputHelper output) => _output = output;

    private static string K8sDir => Path.Combine(RepoPaths.Deploy, "k8s");

    [Fact]
    public async Task Every_manifest_passes_the_Kubernetes_schema_check()
    {
        var result = await NodeValidators.RunAsync("validate-k8s.mjs", [K8sDir]);
        _output.WriteLine(result.StdOut);
        Assert.True(result.ExitCode == 0, result.Describe("validate-k8s.mjs"));
        foreach (var kind in new[] { "Namespace/", "ConfigMap/", "StatefulSet/provenance-ingestion", "Deployment/provenance-api", "Service/provenance-api", "HorizontalPodAutoscaler/", "PodDisruptionBudget/", "StatefulSet/postgres" })
        {
            Assert.Contains(kind, result.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Schema_check_rejects_broken_manifests()
    {
        var dir = Directory.CreateTempSubdirectory("prov-k8s-").FullName;
        try
        {
            var api = await File.ReadAllTextAsync(Path.Combine(K8sDir, "30-api.yaml"));
            Assert.Contains("replicas: 2", api, StringComparison.Ordinal);
            Assert.Contains("readinessProbe:", api, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(dir, "wrong-type.yaml"), api.Replace("replicas: 2", "replicas: two", StringComparison.Ordinal));
            await File.WriteAllTextAsync(Path.Combine(dir, "typo.yaml"), api.Replace("readinessProbe:", "readinesProbe:", StringComparison.Ordinal));

            var wrongType = await NodeValidators.RunAsync("validate-k8s.mjs", [Path.Combine(dir, "wrong-type.yaml")]);
            var typo = await NodeValidators.RunAsync("validate-k8s.mjs", [Path.Combine(dir, "typo.yaml")]);

            _output.WriteLine(wrongType.StdErr + typo.StdErr);
            Assert.True(wrongType.ExitCode != 0, "replicas: two was accepted");
            Assert.Contains("replicas must be integer", wrongType.StdErr, StringComparison.Ordinal);
            Assert.True(typo.ExitCode != 0, "the misspelt readinesProbe was accepted");
            Assert.Contains("readinesProbe: unknown field", typo.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Ingestion_and_api_run_the_same_image_with_different_roles_probes_and_non_root_read_only_containers()
    {
        YamlLines ingestion = await File.ReadAllLinesAsync(Path.Combine(K8sDir, "20-ingestion.yaml"));
        YamlLines api = await File.ReadAllLinesAsync(Path.Combine(K8sDir, "30-api.yaml"));

        Assert.Equal(Value(ingestion, "image"), Value(api, "image"));
        Assert.Equal("3", Value(ingestion, "replicas"));
        foreach (var (name, lines, role) in new[] { ("ingestion", ingestion, "ingestion,sinks"), ("api", api, "api") })
        {
            Assert.True(lines.Any(l => l.Trim() == "- name: Provenance__Roles") && Following(lines, "- name: Provenance__Roles") == $"value: {role}", $"{name}: Provenance__Roles={role} missing");
            Assert.Contains(lines, l => l.Trim() == "path: /health/live");
            Assert.Contains(lines, l => l.Trim() == "path: /health/ready");
            Assert.Contains(lines, l => l.Trim() == "runAsNonRoot: true");
            Assert.Contains(lines, l => l.Trim() == "readOnlyRootFilesystem: true");
        }

        // The broker binds sessions to users: each ingestion pod is its own MQTT user (its pod name); the API has none.
        Assert.Equal("value: $(POD_NAME)", Following(ingestion, "- name: Mqtt__Username"));
        Assert.DoesNotContain(api, l => l.Contains("Mqtt__", StringComparison.Ordinal));

        Assert.Contains(api, l => l.Trim() == "averageUtilization: 70");
        Assert.Contains(await File.ReadAllLinesAsync(Path.Combine(K8sDir, "10-config.yaml")), l => l.Trim() == "Mqtt__SharedGroup: ingestion");
        Assert.DoesNotContain(Directory.GetFiles(K8sDir, "*.yaml").SelectMany(File.ReadAllLines), l => l.Trim() == "kind: Secret");
    }

    [Fact]
    public async Task Every_product_pod_keeps_its_state_in_PostgreSQL_with_the_connection_string_and_shared_secrets_from_a_Secret()
    {
        var docs = await ManifestsAsync();
        var config = Single(docs, "ConfigMap", "provenance-config").GetProperty("data");
        Assert.Equal("postgres", config.GetProperty("Storage__Provider").GetString());
        Assert.Equal("false", config.GetProperty("Storage__Migrate").GetString());
        Assert.False(config.TryGetProperty("ConnectionStrings__Provenance", out _), "the connection string carries a password: it belongs in a Secret");

        var workloads = ProductWorkloads(docs).ToList();
        Assert.Equal(["Deployment/provenance-api", "StatefulSet/provenance-ingestion"], workloads.Select(w => w.Name).Order());
        foreach (var (name, pod) in workloads)
        {
            foreach (var container in Containers(pod, "initContainers").Concat(Containers(pod, "containers")))
            {
                var where = $"{name} {container.GetProperty("name").GetString()}";
                Assert.Contains("provenance-config", container.GetProperty("envFrom").EnumerateArray().Select(e => e.GetProperty("configMapRef").GetProperty("name").GetString()));
                Assert.True(SecretKey(container, "ConnectionStrings__Provenance") == "provenance-secrets/postgres-connection", $"{where}: ConnectionStrings__Provenance is not from provenance-secrets");
            }

            // The same values in every pod: API keys, codes and cookies made by one pod must hold in the others.
            var app = Containers(pod, "containers").Single();
            Assert.Equal("provenance-secrets/server-secret", SecretKey(app, "Security__ServerSecret"));
            Assert.Equal("provenance-secrets/codes-key-1", SecretKey(app, "Codes__Keys__1"));
        }

        // Scans may read a standby: only the API pods, and only when the secret has the key.
        var api = Containers(workloads.Single(w => w.Name == "Deployment/provenance-api").Pod, "containers").Single();
        Assert.Equal("provenance-secrets/postgres-replica-connection", SecretKey(api, "ConnectionStrings__ProvenanceReplica"));
        var replica = api.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "ConnectionStrings__ProvenanceReplica");
        Assert.True(replica.GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("optional").GetBoolean(), "a standby is optional");
    }

    [Fact]
    public async Task Every_product_pod_migrates_the_schema_with_its_own_image_before_the_app_starts()
    {
        foreach (var (name, pod) in ProductWorkloads(await ManifestsAsync()))
        {
            var app = Containers(pod, "containers").Single();
            var migrate = Assert.Single(Containers(pod, "initContainers"));
            Assert.Equal(["db", "migrate"], migrate.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(["serve"], app.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
            Assert.True(app.GetProperty("image").GetString() == migrate.GetProperty("image").GetString(), $"{name}: the migration runs another image than the app");
        }
    }

    [Fact]
    public async Task No_product_pod_needs_a_shared_volume_its_per_installation_keys_come_from_the_secret_and_its_data_directory_is_scratch()
    {
        var docs = await ManifestsAsync();
        Assert.DoesNotContain(docs, d => d.GetProperty("kind").GetString() == "PersistentVolumeClaim");
        Assert.DoesNotContain(Directory.GetFiles(K8sDir, "*.yaml").SelectMany(File.ReadAllLines), l => l.Contains("ReadWriteMany", StringComparison.Ordinal));

        foreach (var (name, pod) in ProductWorkloads(docs))
        {
            var workload = docs.Single(d => $"{d.GetProperty("kind").GetString()}/{d.GetProperty("metadata").GetProperty("name").GetString()}" == name);
            Assert.False(workload.GetProperty("spec").TryGetProperty("volumeClaimTemplates", out _), $"{name} has per-pod claims");
            var volumes = pod.GetProperty("volumes").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
            Assert.DoesNotContain(volumes.Values, v => v.TryGetProperty("persistentVolumeClaim", out _));
            var app = Containers(pod, "containers").Single();
            var data = app.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("mountPath").GetString() == "/var/lib/provenance");
            Assert.True(volumes[data.GetProperty("name").GetString()!].TryGetProperty("emptyDir", out _), $"{name}: the data directory is not scratch");

            // Without it every pod would make NFC keys of its own in its scratch data directory, and caps encoded through
            // one pod would fail on another (the server secret and code keys are checked above).
            Assert.Equal("provenance-secrets/nfc-key-1", SecretKey(app, "Nfc__Keys__1"));
        }

        Assert.DoesNotContain(Directory.GetFiles(K8sDir, "*.yaml").SelectMany(File.ReadAllLines), l => l.Contains("SQLite", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PostgreSQL_option_is_one_non_root_instance_with_a_claim_its_password_from_a_Secret_and_no_outside_address()
    {
        var docs = await ManifestsAsync();
        var postgres = Single(docs, "StatefulSet", "postgres").GetProperty("spec");
        var pod = postgres.GetProperty("template").GetProperty("spec");
        var container = Containers(pod, "containers").Single();

        Assert.Equal(1, postgres.GetProperty("replicas").GetInt32());
        Assert.Equal("data", postgres.GetProperty("volumeClaimTemplates")[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("postgres:15", container.GetProperty("image").GetString());
        Assert.Equal("provenance-postgres/password", SecretKey(container, "POSTGRES_PASSWORD"));
        Assert.Contains(container.GetProperty("volumeMounts").EnumerateArray(), m => m.GetProperty("name").GetString() == "data" && m.GetProperty("mountPath").GetString() == "/var/lib/postgresql/data");
        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.Contains("pg_isready", container.GetProperty("readinessProbe").GetProperty("exec").GetProperty("command").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("ClusterIP", Single(docs, "Service", "postgres").GetProperty("spec").GetProperty("type").GetString());
        Assert.DoesNotContain(docs, d => d.GetProperty("kind").GetString() == "Ingress" && d.GetRawText().Contains("\"postgres\"", StringComparison.Ordinal));
        Assert.Contains(File.ReadAllLines(Path.Combine(K8sDir, "15-postgres.yaml")), l => l.Contains("managed PostgreSQL", StringComparison.Ordinal));
    }

    private static async Task<List<JsonElement>> ManifestsAsync()
    {
        var result = await NodeValidators.RunAsync("k8s-json.mjs", [K8sDir]);
        Assert.True(result.ExitCode == 0, result.Describe("k8s-json.mjs"));
        using var doc = JsonDocument.Parse(result.StdOut);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static JsonElement Single(IEnumerable<JsonElement> docs, string kind, string name) =>
        docs.Single(d => d.GetProperty("kind").GetString() == kind && d.GetProperty("metadata").GetProperty("name").GetString() == name);

    /// <summary>The Deployments and StatefulSets that run the Provenance image, with their pod specs.</summary>
    private static IEnumerable<(string Name, JsonElement Pod)> ProductWorkloads(IEnumerable<JsonElement> docs) =>
        docs.Where(d => d.GetProperty("kind").GetString() is "Deployment" or "StatefulSet")
            .Select(d => ($"{d.GetProperty("kind").GetString()}/{d.GetProperty("metadata").GetProperty("name").GetString()}", d.GetProperty("spec").GetProperty("template").GetProperty("spec")))
            .Where(w => Containers(w.Item2, "containers").Any(c => c.GetProperty("image").GetString()!.Contains("/provenance:", StringComparison.Ordinal)));

    private static IEnumerable<JsonElement> Containers(JsonElement pod, string list) =>
        pod.TryGetProperty(list, out var containers) ? containers.EnumerateArray() : [];

    /// <summary>"secret/key" of an environment variable set from a Secret; null when it is absent or a literal.</summary>
    private static string? SecretKey(JsonElement container, string variable) =>
        container.GetProperty("env").EnumerateArray()
            .Where(e => e.GetProperty("name").GetString() == variable && e.TryGetProperty("valueFrom", out var from) && from.TryGetProperty("secretKeyRef", out _))
            .Select(e => e.GetProperty("valueFrom").GetProperty("secretKeyRef"))
            .Select(r => $"{r.GetProperty("name").GetString()}/{r.GetProperty("key").GetString()}")
            .FirstOrDefault();

    private static string? Value(YamlLines lines, string key) =>
        lines.Select(l => l.Trim()).Where(l => l.StartsWith(key + ": ", StringComparison.Ordinal)).Select(l => l[(key.Length + 2)..]).FirstOrDefault();

    private static string? Following(YamlLines lines, string line)
    {
        var i = lines.Select(l => l.Trim()).ToList().IndexOf(line);
        return i >= 0 && i + 1 < lines.Count ? lines[i + 1].Trim() : null;
    }
}
