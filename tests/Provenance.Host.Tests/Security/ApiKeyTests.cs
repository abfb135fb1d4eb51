using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Host.Tests.Support;
using Provenance.Storage;

namespace Provenance.Host.Tests.Security;

/// <summary>API keys: keyed hashes at rest, revoke and rotate through the CLI and the API, honoured at once by a running node.</summary>
public sealed class ApiKeyTests
{
    // Reads and rewrites the key row in the SQLite file, as a database from before keyed hashing held it.
    [Trait("Storage", TestStorage.SqliteOnly)]
    [Fact]
    public async Task A_key_is_stored_as_an_hmac_under_the_server_secret_and_a_key_from_before_keyed_hashing_still_works_once_rehashed()
    {
        await using var node = await InProcessNode.StartAsync();
        var (id, secret) = node.CreateKey("producer");
        var hashKey = node.Services.GetRequiredService<ServerSecret>().Derive(ServerSecret.ApiKeys);

        var (stored, scheme) = Row(node, id);
        Assert.Equal(HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes(secret)), stored);
        Assert.NotEqual(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), stored);
        Assert.Equal("hmac-sha256", scheme);

        // A key created by an older version: plain SHA-256 in the table.
        const string Legacy = "pvk_legacy-key-created-before-keyed-hashing-000000000";
        Execute(node, "INSERT INTO api_keys (id, key_hash, role, created_at) VALUES ('key-legacy', $h, 'producer', '2026-01-01T00:00:00.0000000Z')",
            ("$h", SHA256.HashData(Encoding.UTF8.GetBytes(Legacy))));
        using var legacy = node.ClientWithKey(Legacy);
        Assert.Equal(HttpStatusCode.OK, (await legacy.GetAsync("/api/alerts")).StatusCode);
        var (rehashed, rehashedScheme) = Row(node, "key-legacy");
        Assert.Equal(HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes(Legacy)), rehashed);
        Assert.Equal("hmac-sha256", rehashedScheme);
        Assert.Equal(HttpStatusCode.OK, (await legacy.GetAsync("/api/alerts")).StatusCode);
    }

    [Fact]
    public async Task The_cli_rotates_and_revokes_keys_and_a_running_node_honours_it_at_once()
    {
        await using var node = new ProvenanceNode();
        var created = await node.CliAsync("keys", "create", "--role", "producer", "--name", "line office");
        var id = Field(created, "id");
        await node.StartAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, Field(created, "key")));

        var rotated = await node.CliAsync("keys", "rotate", "--id", id);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(node, Field(created, "key")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, Field(rotated, "key")));
        Assert.Equal(id, Field(rotated, "id"));

        await node.CliAsync("keys", "revoke", "--id", id);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(node, Field(rotated, "key")));
        var listed = (await node.CliAsync("keys", "list")).Split('\n').Single(l => l.StartsWith(id, StringComparison.Ordinal)).Split('\t');
        Assert.Equal(["producer", "-", "line office"], listed[1..4]);
        Assert.NotEqual("-", listed[5]);
        Assert.NotEqual("-", listed[6]);
    }

    [Fact]
    public async Task A_key_rotates_itself_over_http_and_the_old_secret_stops_working()
    {
        await using var node = await InProcessNode.StartAsync();
        var (id, secret) = node.CreateKey("producer");
        using var client = node.ClientWithKey(secret);

        using var response = await client.PostAsync($"/api/keys/{id}/rotate", null);
        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, rotated.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/alerts")).StatusCode);
        using var renewed = node.ClientWithKey(rotated.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync("/api/alerts")).StatusCode);
        Assert.Contains("not valid", await (await client.GetAsync("/api/alerts")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(ProvenanceNode node, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/alerts");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await node.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static string Field(string output, string name) =>
        output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    private static (byte[] Hash, string Scheme) Row(InProcessNode node, string id)
    {
        using var c = Open(node);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT key_hash, hash_scheme FROM api_keys WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        return ((byte[])r.GetValue(0), r.GetString(1));
    }

    private static void Execute(InProcessNode node, string sql, params (string Name, object Value)[] parameters)
    {
        using var c = Open(node);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        cmd.ExecuteNonQuery();
    }

    private static SqliteConnection Open(InProcessNode node)
    {
        var c = new SqliteConnection($"Data Source={Path.Combine(node.DataDirectory, "provenance.db")}");
        c.Open();
        return c;
    }
}
