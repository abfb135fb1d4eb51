using System.Globalization;
using Microsoft.Extensions.Options;
using Provenance.Core.Codes;

namespace Provenance.Host.Composition;

/// <summary>
/// Checks <c>Codes:Keys</c> and <c>Codes:CurrentKeyId</c> at start-up, naming the setting: every key id a non-negative
/// integer, every key base64 of at least 16 bytes (32 recommended: <c>head -c 32 /dev/urandom | base64</c>), and the
/// current key id among them. Key values never appear in the messages.
/// </summary>
internal sealed class CodeOptionsValidator : IValidateOptions<CodeOptions>
{
    public const int MinimumKeyBytes = 16;

    public ValidateOptionsResult Validate(string? name, CodeOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IEnumerable<string> Failures(CodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Keys.Count == 0)
        {
            yield break;
        }

        foreach (var (id, value) in options.Keys)
        {
            var setting = $"{CodeOptions.Section}:Keys:{id} (environment: {CodeOptions.Section}__Keys__{id})";
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                yield return $"{setting}: the key id must be a non-negative integer (it is printed in every code as k=ID)";
                continue;
            }

            var key = new byte[((value?.Length ?? 0) * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(value ?? string.Empty, key, out var length))
            {
                yield return $"{setting}: not base64; create a key with: head -c 32 /dev/urandom | base64";
                continue;
            }

            if (length < MinimumKeyBytes)
            {
                yield return $"{setting}: {length} bytes, at least {MinimumKeyBytes} needed ({CodeKeyRing.KeyBytes} recommended: head -c 32 /dev/urandom | base64)";
            }
        }

        if (!options.Keys.ContainsKey(options.CurrentKeyId.ToString(CultureInfo.InvariantCulture)))
        {
            yield return $"{CodeOptions.Section}:CurrentKeyId {options.CurrentKeyId} is not among {CodeOptions.Section}:Keys ({string.Join(", ", options.Keys.Keys)}): new codes must be signed with a configured key";
        }
    }
}
