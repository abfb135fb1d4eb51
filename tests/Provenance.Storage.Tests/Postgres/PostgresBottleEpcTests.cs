using Npgsql;
using Provenance.Core.Epcis;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Tests.Postgres;

/// <summary>The PostgreSQL <c>dl_bottle</c> function the EPCIS lot query joins on spells every bottle's EPC as the C# code does.</summary>
public sealed class PostgresBottleEpcTests
{
    [Fact]
    public async Task Dl_bottle_in_postgres_equals_the_canonical_epc_for_plain_escaped_and_non_ascii_serials()
    {
        var server = await PostgresServer.Shared;
        await using var connection = new NpgsqlConnection(await server.CreateDatabaseAsync("epc"));
        await connection.OpenAsync();
        PostgresSchema.Migrate(connection);
        var random = new Random(20261202);
        const string alphabet = "ABCXYZabcxyz0123456789-._~!\"%&'()*+,/:;<=>? 酒茅台€";
        string[] serials =
        [
            "SER00001", "a-b.c_d~e", "100%", "A/B", "x y", "茅台-53°", "!\"%&'()*+,/:;<=>?",
            .. Enumerable.Range(0, 300).Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 20)).Select(_ => alphabet[random.Next(alphabet.Length)])])),
        ];

        foreach (var serial in serials)
        {
            await using var command = new NpgsqlCommand("SELECT dl_bottle(@g, @s)", connection);
            command.Parameters.AddWithValue("g", "09506000134352");
            command.Parameters.AddWithValue("s", serial);
            Assert.Equal(Epc.ForBottle("09506000134352", serial).Uri, await command.ExecuteScalarAsync() as string);
        }
    }
}
