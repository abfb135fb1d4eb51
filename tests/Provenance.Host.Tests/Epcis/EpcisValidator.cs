using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Epcis;

/// <summary>
/// Judges our EPCIS documents with software no one here wrote: GS1's JSON schema (from ../shared, through
/// JsonSchema.Net, format checks on), and the npm package epcis2.js (its validator and its CBV 2.0 event-hash
/// generator) plus jsonld.js expanding in safe mode against GS1's context file (tests/epcis-js/check-epcis.mjs).
/// </summary>
internal static class EpcisValidator
{
    public static string ConformanceDirectory => Path.Combine(RepositoryPaths.Shared, "conformance", "epcis");

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(ConformanceDirectory, "EPCIS-JSON-Schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    /// <summary>The official schema's verdict: empty when valid, else "where: what" lines.</summary>
    public static IReadOnlyList<string> SchemaErrors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid ? [] : [.. (result.Details ?? []).SelectMany(d => (d.Errors ?? new Dictionary<string, string>()).Select(e => $"{d.InstanceLocation}: {e.Value}")).DefaultIfEmpty("invalid")];
    }

    /// <summary>What epcis2.js and jsonld.js say about a document.</summary>
    public static async Task<JsCheck> CheckWithJsAsync(string json) => (await CheckWithJsAsync([json]))[0];

    /// <summary>What epcis2.js and jsonld.js say about each document (one node process for all).</summary>
    public static async Task<IReadOnlyList<JsCheck>> CheckWithJsAsync(IReadOnlyList<string> documents)
    {
        var dir = Path.Combine(RepositoryPaths.Root, "tests", "epcis-js");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "epcis2.js")), "epcis2.js is not installed: run 'npm ci' in tests/epcis-js (./test.sh does it)");
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        info.ArgumentList.Add("check-epcis.mjs");
        info.ArgumentList.Add(Path.Combine(ConformanceDirectory, "epcis-context.jsonld"));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync("[" + string.Join(',', documents) + "]");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"check-epcis.mjs failed: {await stderr}");
        return [.. JsonNode.Parse(await stdout)!.AsArray().Select(r => JsCheck.Parse(r!))];
    }

    /// <summary>Every check at once: the schema (C#), epcis2.js, the JSON-LD context, and every eventID recomputed by epcis2.js.</summary>
    public static Task AssertConformsAsync(string json) => AssertConformsAsync([json]);

    /// <summary>Every check on every document.</summary>
    public static async Task AssertConformsAsync(IReadOnlyList<string> documents)
    {
        foreach (var json in documents)
        {
            var schemaErrors = SchemaErrors(json);
            Assert.True(schemaErrors.Count == 0, "official schema: " + string.Join("; ", schemaErrors.Take(5)));
        }

        var events = documents.SelectMany(d => Events(JsonNode.Parse(d)!)).ToDictionary(e => e!["eventID"]!.ToString(), e => e!.ToJsonString());
        foreach (var js in await CheckWithJsAsync(documents))
        {
            Assert.True(js.SchemaValid, "epcis2.js validateEpcisDocument: " + string.Join("; ", js.SchemaErrors.Take(5)));
            Assert.True(js.JsonLdValid, "jsonld.js expansion against the official context: " + js.JsonLdError);
            foreach (var h in js.Hashes)
            {
                Assert.True(h.Error is null, $"epcis2.js could not hash event {h.EventId}: {h.Error}");
                Assert.True(h.Computed == h.EventId, $"epcis2.js hashes event {h.EventId} to {h.Computed}: {events.GetValueOrDefault(h.EventId ?? string.Empty)}");
            }
        }
    }

    /// <summary>The events of an EPCISDocument or EPCISQueryDocument.</summary>
    public static JsonArray Events(JsonNode document) =>
        (document["epcisBody"]?["eventList"] ?? document["epcisBody"]?["queryResults"]?["resultsBody"]?["eventList"])?.AsArray() ?? [];
}

internal sealed record JsCheck(bool SchemaValid, IReadOnlyList<string> SchemaErrors, bool JsonLdValid, string? JsonLdError, IReadOnlyList<JsHash> Hashes)
{
    public static JsCheck Parse(JsonNode root)
    {
        return new JsCheck(
            root["schema"]!["valid"]!.GetValue<bool>(),
            [.. root["schema"]!["errors"]!.AsArray().Select(e => e!.ToString())],
            root["jsonld"]!["valid"]!.GetValue<bool>(),
            root["jsonld"]!["error"]?.ToString(),
            [.. root["hashes"]!.AsArray().Select(h => new JsHash(h!["eventID"]?.ToString(), h["computed"]?.ToString(), h["error"]?.ToString()))]);
    }
}

internal sealed record JsHash(string? EventId, string? Computed, string? Error);
