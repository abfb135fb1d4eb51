using Npgsql;

namespace Provenance.Storage.Tests.Postgres;

/// <summary>The throwaway PostgreSQL cluster the tests use: a restart keeps the data; dispose removes everything.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task A_server_stopped_and_started_again_keeps_its_data_on_the_same_port()
    {
        var server = await PostgresServer.StartAsync();
        var directory = Path.GetDirectoryName(server.DataDirectory)!;
        await using (server)
        {
            var database = await server.CreateDatabaseAsync("restart");
            await ExecuteAsync(database, "CREATE TABLE kept (value TEXT NOT NULL); INSERT INTO kept VALUES ('before the restart')");

            await server.StopAsync();
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(database, "SELECT 1"));
            await server.StartAgainAsync();

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT value FROM kept", connection);
            Assert.Equal("before the restart", await read.ExecuteScalarAsync());
            Assert.Equal(server.Port, new NpgsqlConnectionStringBuilder(database).Port);
        }

        Assert.False(Directory.Exists(directory));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
