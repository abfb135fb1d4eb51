using System.Security.Cryptography;
using System.Text;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Gateways registered for IoT Hub's X.509 login (<c>gateways add --auth x509</c>): either the SHA-256 thumbprint of
/// the device's self-signed certificate (hex, as IoT Hub records it; SHA-1 thumbprints are not accepted), or no thumbprint, meaning a
/// certificate issued by the broker's client CA whose common name is the device id. Thread-safe.
/// </summary>
public sealed class DeviceCertificateStore(ProvenanceDatabase database)
{
    /// <summary>Records (or replaces) how the gateway's certificate is recognised.</summary>
    /// <param name="gatewayId">A registered, active gateway.</param>
    /// <param name="thumbprint">64 hex digits (SHA-256); null for a CA-signed certificate.</param>
    /// <exception cref="ArgumentException">The thumbprint is not 64 hex digits.</exception>
    /// <exception cref="RegistryConflictException">The gateway does not exist or is revoked.</exception>
    public void Register(string gatewayId, string? thumbprint)
    {
        var normalized = thumbprint is null ? null : NormalizeThumbprint(thumbprint);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        ActiveGateway.Require(c, tx, gatewayId);

        c.Command("INSERT INTO gateway_device_certificates (gateway_id, thumbprint, created_at) VALUES (@id, @t, @at) ON CONFLICT (gateway_id) DO UPDATE SET thumbprint = excluded.thumbprint, created_at = excluded.created_at", tx)
            .With("@id", gatewayId).With("@t", normalized).With("@at", Sql.Timestamp(database.Time.GetUtcNow())).ExecuteNonQuery();
        tx.Commit();
    }

    /// <summary>The gateway's X.509 registration, or null when it has none.</summary>
    public DeviceCertificateRegistration? Find(string gatewayId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT thumbprint FROM gateway_device_certificates WHERE gateway_id = @id").With("@id", gatewayId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new DeviceCertificateRegistration(r.IsDBNull(0) ? null : r.GetString(0)) : null;
    }

    /// <summary>Upper-case hex without separators; IoT Hub and openssl print thumbprints with colons or in lower case.</summary>
    public static string NormalizeThumbprint(string thumbprint)
    {
        var hex = thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("a thumbprint is the certificate's SHA-256 fingerprint (64 hex digits; SHA-1 is not accepted), e.g. from 'openssl x509 -noout -fingerprint -sha256 -in device.pem'");
        }

        return hex;
    }

    /// <summary>Whether <paramref name="certificateDer"/> has the registered SHA-256 thumbprint, compared in constant time.</summary>
    public static bool MatchesThumbprint(string registered, ReadOnlySpan<byte> certificateDer)
    {
        var actual = Convert.ToHexString(SHA256.HashData(certificateDer));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(registered));
    }
}
