using System.Text.Json;
using Json.Schema;

namespace Provenance.Api.Epcis;

/// <summary>
/// GS1's EPCIS 2.0 JSON schema (draft-07, embedded from the conformance set at build time), with format checks on:
/// what a capture document must satisfy before anything in it is considered. Thread-safe.
/// </summary>
public static class EpcisSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(Load);
    private static readonly string[] Branches = ["/if/", "/anyOf/", "/oneOf/", "/not/", "/propertyNames"];

    /// <summary>Validates a document; the errors name the place in the document and the schema's words.</summary>
    public static IReadOnlyList<string> Validate(JsonElement document)
    {
        var result = Schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }

        // The list output also carries the failures of branches that did not have to hold (an if-condition, one
        // alternative of an anyOf, a property-name pattern): report the failures that decided the verdict first.
        var details = (result.Details ?? []).ToList();
        var decisive = details.Where(d => !Branches.Any(b => d.EvaluationPath.ToString().Contains(b, StringComparison.Ordinal))).ToList();
        var errors = new List<string>();
        foreach (var detail in decisive.Any(d => d.Errors?.Count > 0) ? decisive : details)
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                var where = detail.InstanceLocation.ToString();
                errors.Add($"{(where.Length == 0 ? "/" : where)}: {message} ({keyword})");
            }
        }

        return errors.Count > 0 ? [.. errors.Distinct().Take(20)] : ["the document does not match the EPCIS 2.0 schema"];
    }

    private static JsonSchema Load()
    {
        using var stream = typeof(EpcisSchema).Assembly.GetManifestResourceStream("epcis/EPCIS-JSON-Schema.json")
            ?? throw new InvalidOperationException("the EPCIS 2.0 JSON schema is not embedded in this build");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }
}
