using System.Globalization;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// The code MAC keys: from configuration (a secret store) when given, else from <c>code-keys.json</c> in the data
/// directory, created with mode 0600 on first use. Keys never enter the repository or the logs.
/// </summary>
internal static class CodeKeyFile
{
    public const string FileName = "code-keys.json";

    public static CodeKeyRing Load(string dataDirectory, CodeOptions options)
    {
        if (options.Keys.Count > 0)
        {
            var failures = CodeOptionsValidator.Failures(options).ToList();
            if (failures.Count > 0)
            {
                throw new CodeKeyException(string.Join("; ", failures));
            }

            var configured = options.Keys.ToDictionary(
                kv => int.Parse(kv.Key, CultureInfo.InvariantCulture),
                kv => Convert.FromBase64String(kv.Value));
            return new CodeKeyRing(configured, options.CurrentKeyId);
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var created = new KeyFile(1, new Dictionary<string, string> { ["1"] = Convert.ToBase64String(CodeKeyRing.NewKey()) });
            SecretFile.TryCreate(path, JsonSerializer.Serialize(created));
        }

        KeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or UnauthorizedAccessException)
        {
            throw new CodeKeyException($"cannot read the code keys {path}: {e.Message}; run as the user that owns the data directory, or restore the file from backup");
        }

        if (file is null)
        {
            throw new CodeKeyException($"{path} is empty; restore it from backup (codes signed with it cannot be verified otherwise)");
        }

        return new CodeKeyRing(
            file.Keys.ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => Convert.FromBase64String(kv.Value)),
            file.Current);
    }

    private sealed record KeyFile(int Current, Dictionary<string, string> Keys);
}
