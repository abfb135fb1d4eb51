using System.Globalization;
using System.Text.Json;
using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// A key ring kept as a JSON file in the data directory (<c>{"Current":1,"Keys":{"1":"base64…"}}</c>), created with
/// one new key and mode 0600 on first use, or given by configuration (a secret store) as base64 keys by id.
/// </summary>
internal static class KeyRingFile
{
    /// <summary>The keys in <paramref name="path"/>, creating the file with <paramref name="newKey"/> as key 1 when it is missing.</summary>
    public static (int Current, Dictionary<int, byte[]> Keys) LoadOrCreate(string path, Func<byte[]> newKey, string what)
    {
        if (!File.Exists(path))
        {
            var created = new KeyFile(1, new Dictionary<string, string> { ["1"] = Convert.ToBase64String(newKey()) });
            SecretFile.TryCreate(path, JsonSerializer.Serialize(created));
        }

        var file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} is empty; restore it from backup ({what} cannot be verified otherwise)");
        return (file.Current, Parse(file.Keys));
    }

    /// <summary>Keys given as base64 by decimal id (configuration).</summary>
    public static Dictionary<int, byte[]> Parse(IReadOnlyDictionary<string, string> keys) =>
        keys.ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => Convert.FromBase64String(kv.Value));

    private sealed record KeyFile(int Current, Dictionary<string, string> Keys);
}
