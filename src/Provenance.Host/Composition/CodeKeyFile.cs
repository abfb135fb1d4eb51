using Provenance.Core.Codes;

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
            return new CodeKeyRing(KeyRingFile.Parse(options.Keys), options.CurrentKeyId);
        }

        var (current, keys) = KeyRingFile.LoadOrCreate(Path.Combine(dataDirectory, FileName), CodeKeyRing.NewKey, "codes signed with it");
        return new CodeKeyRing(keys, current);
    }
}
