using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Sites, gateways and products. Thread-safe.</summary>
public sealed partial class RegistryStore(ProvenanceDatabase database)
{
    public void AddSite(Site site)
    {
        ArgumentNullException.ThrowIfNull(site);
        using var c = database.Connect();
        try
        {
            c.Command("INSERT INTO sites (id, name, lat, lon, radius_m, polygon_json, created_at) VALUES (@id, @name, @lat, @lon, @r, @p, @at)")
                .With("@id", site.Id).With("@name", site.Name).With("@lat", site.Center.Latitude).With("@lon", site.Center.Longitude)
                .With("@r", site.RadiusMeters)
                .With("@p", site.Polygon is null ? null : JsonSerializer.Serialize(site.Polygon.Select(p => new[] { p.Latitude, p.Longitude })))
                .With("@at", Sql.Timestamp(database.Time.GetUtcNow())).ExecuteNonQuery();
        }
        catch (DbException e) when (StorageErrors.IsConstraintViolation(e))
        {
            throw new RegistryConflictException($"site '{site.Id}' already exists");
        }
    }

    public Site? FindSite(string id) => Sites("WHERE id = @id", id).FirstOrDefault();

    public IReadOnlyList<Site> ListSites() => Sites("ORDER BY id", null);

    private List<Site> Sites(string where, string? id)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"SELECT id, name, lat, lon, radius_m, polygon_json FROM sites {where}").With("@id", id);
        using var r = cmd.ExecuteReader();
        var list = new List<Site>();
        while (r.Read())
        {
            var polygonJson = r.NullableString(5);
            var polygon = polygonJson is null
                ? null
                : JsonSerializer.Deserialize<double[][]>(polygonJson)!.Select(p => new GeoPoint(p[0], p[1])).ToList();
            list.Add(new Site(r.GetString(0), r.GetString(1), new GeoPoint(r.GetDouble(2), r.GetDouble(3)), r.NullableDouble(4), polygon));
        }

        return list;
    }

    /// <summary>Registers a gateway and returns its MQTT secret (shown once; only a salted hash is stored).</summary>
    public string AddGateway(string id, string siteId, string publicKeyPem, string keyFingerprint)
    {
        if (FindSite(siteId) is null)
        {
            throw new RegistryConflictException($"site '{siteId}' does not exist; add it first with 'provenance sites add'");
        }

        var secret = Base64UrlSecret();
        var salt = RandomNumberGenerator.GetBytes(16);
        var now = Sql.Timestamp(database.Time.GetUtcNow());
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        try
        {
            c.Command("INSERT INTO gateways (id, site_id, public_key_pem, key_fingerprint, mqtt_secret_hash, mqtt_secret_salt, created_at) VALUES (@id, @site, @pem, @fp, @h, @s, @at)", tx)
                .With("@id", id).With("@site", siteId).With("@pem", publicKeyPem).With("@fp", keyFingerprint)
                .With("@h", HashSecret(secret, salt)).With("@s", salt).With("@at", now).ExecuteNonQuery();
            c.Command("INSERT INTO gateway_keys (gateway_id, key_fingerprint, public_key_pem, valid_from) VALUES (@id, @fp, @pem, @at)", tx)
                .With("@id", id).With("@fp", keyFingerprint).With("@pem", publicKeyPem).With("@at", now).ExecuteNonQuery();
            tx.Commit();
        }
        catch (DbException e) when (StorageErrors.IsConstraintViolation(e))
        {
            throw new RegistryConflictException($"gateway '{id}' already exists");
        }

        return secret;
    }

    /// <summary>Constant-time check of a gateway's MQTT secret. False for unknown or revoked gateways.</summary>
    public bool CheckGatewaySecret(string gatewayId, string secret) => VerifySecret(gatewayId, secret, "AND revoked_at IS NULL");

    /// <summary>
    /// Constant-time check of a gateway's MQTT secret whether or not the gateway is revoked, so that a caller holding
    /// the right secret can be told "revoked" while a wrong secret learns nothing. False for unknown gateways.
    /// </summary>
    public bool VerifyGatewaySecret(string gatewayId, string secret) => VerifySecret(gatewayId, secret, string.Empty);

    private bool VerifySecret(string gatewayId, string secret, string condition)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"SELECT mqtt_secret_hash, mqtt_secret_salt FROM gateways WHERE id = @id {condition}").With("@id", gatewayId);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            // Same work either way, so response time does not tell which gateway ids exist.
            _ = HashSecret(secret, new byte[16]);
            return false;
        }

        var expected = (byte[])r.GetValue(0);
        var actual = HashSecret(secret, (byte[])r.GetValue(1));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    public GatewayRegistration? FindGateway(string id) => Gateways("WHERE id = @id", id).FirstOrDefault();

    public IReadOnlyList<GatewayRegistration> ListGateways() => Gateways("ORDER BY id", null);

    private List<GatewayRegistration> Gateways(string where, string? id)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"SELECT id, site_id, public_key_pem, key_fingerprint, created_at, revoked_at, key_version, revocation_reason FROM gateways {where}").With("@id", id);
        using var r = cmd.ExecuteReader();
        var list = new List<GatewayRegistration>();
        while (r.Read())
        {
            var revoked = r.NullableString(5);
            list.Add(new GatewayRegistration(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.ParseTimestamp(r.GetString(4)), revoked is null ? null : Sql.ParseTimestamp(revoked),
                r.GetInt32(6), r.NullableString(7)));
        }

        return list;
    }

    public void AddProduct(Product product)
    {
        ArgumentNullException.ThrowIfNull(product);
        using var c = database.Connect();
        try
        {
            c.Command("INSERT INTO products (gtin, name, brand, created_at) VALUES (@g, @n, @b, @at)")
                .With("@g", product.Gtin).With("@n", product.Name).With("@b", product.Brand).With("@at", Sql.Timestamp(database.Time.GetUtcNow())).ExecuteNonQuery();
        }
        catch (DbException e) when (StorageErrors.IsConstraintViolation(e))
        {
            throw new RegistryConflictException($"product {product.Gtin} already exists");
        }
    }

    public Product? FindProduct(string gtin)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gtin, name, brand FROM products WHERE gtin = @g").With("@g", gtin);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Product(r.GetString(0), r.GetString(1), r.GetString(2)) : null;
    }

    private static string Base64UrlSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    // Secrets are 192-bit random strings, not human passwords, so a keyed hash is as strong as a slow KDF here.
    private static byte[] HashSecret(string secret, byte[] salt) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));
}
