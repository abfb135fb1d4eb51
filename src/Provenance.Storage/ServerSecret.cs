using System.Security.Cryptography;
using System.Text;

namespace Provenance.Storage;

/// <summary>
/// The node's server secret: at least 32 random bytes, from configuration (a secret store, base64) or from
/// <c>server-secret.key</c> in the data directory (created with mode 0600 on first use). Each purpose gets its own key
/// derived with HKDF-SHA256, so one secret never keys two things. Replicas that share API keys and scanner ids must
/// share this secret. Immutable and thread-safe.
/// </summary>
public sealed class ServerSecret
{
    public const string FileName = "server-secret.key";

    /// <summary>The purpose of the key that hashes API keys.</summary>
    public const string ApiKeys = "api-keys/v1";

    /// <summary>The purpose of the key that hashes dashboard session tokens.</summary>
    public const string Sessions = "dashboard-sessions/v1";

    /// <summary>The purpose of the key that turns a client's network identity into an opaque scanner id.</summary>
    public const string Scanners = "scanner-ids/v1";

    /// <summary>The purpose of the key that encrypts gateways' IoT Hub device keys at rest.</summary>
    public const string DeviceKeys = "iothub-device-keys/v1";

    private const int MinimumBytes = 32;

    private readonly byte[] _secret;

    private ServerSecret(byte[] secret) => _secret = secret;

    /// <summary>The configured secret (base64) when given; else the data directory's file, created when missing.</summary>
    public static ServerSecret Load(string dataDirectory, string? configuredBase64)
    {
        if (!string.IsNullOrWhiteSpace(configuredBase64))
        {
            return new ServerSecret(Decode(configuredBase64, "Security:ServerSecret"));
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            SecretFile.TryCreate(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes)));
        }

        return new ServerSecret(Decode(File.ReadAllText(path), path));
    }

    /// <summary>For tests and tools that hold the bytes already.</summary>
    public static ServerSecret FromBytes(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length >= MinimumBytes ? new ServerSecret([.. secret]) : throw new ArgumentException($"the server secret needs at least {MinimumBytes} bytes", nameof(secret));
    }

    /// <summary>True when <paramref name="base64"/> is a usable configured secret.</summary>
    public static bool IsValid(string? base64)
    {
        try
        {
            return string.IsNullOrWhiteSpace(base64) || Convert.FromBase64String(base64.Trim()).Length >= MinimumBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A 32-byte key for one purpose (see the constants).</summary>
    public byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, 32, salt: null, info: Encoding.UTF8.GetBytes("provenance/" + purpose));

    private static byte[] Decode(string base64, string source)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64.Trim());
            return bytes.Length >= MinimumBytes ? bytes : throw new InvalidOperationException($"{source} holds {bytes.Length} bytes; the server secret needs at least {MinimumBytes} (base64)");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not base64; the server secret is at least {MinimumBytes} random bytes, base64-encoded");
        }
    }
}
