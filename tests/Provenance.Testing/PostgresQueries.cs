using System.Globalization;
using Npgsql;

namespace Provenance.Testing;

/// <summary>Reads a test's PostgreSQL database directly, past every instance under test (what is really stored).</summary>
public static class PostgresQueries
{
    /// <summary>One column of every row <paramref name="sql"/> returns (duplicates kept).</summary>
    public static List<string> Strings(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public static long Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
