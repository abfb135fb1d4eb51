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
        foreach (var kind in new[] { "Namespace/", "ConfigMap/", "StatefulSet/provenance-ingestion", "Deployment/provenance-api", "Service/provenance-api", "HorizontalPodAutoscaler/", "PodDisruptionBudget/" })
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

    private static string? Value(YamlLines lines, string key) =>
        lines.Select(l => l.Trim()).Where(l => l.StartsWith(key + ": ", StringComparison.Ordinal)).Select(l => l[(key.Length + 2)..]).FirstOrDefault();

    private static string? Following(YamlLines lines, string line)
    {
        var i = lines.Select(l => l.Trim()).ToList().IndexOf(line);
        return i >= 0 && i + 1 < lines.Count ? lines[i + 1].Trim() : null;
    }
}
