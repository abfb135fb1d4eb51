using Microsoft.Data.Sqlite;

namespace Provenance.Engines.Tests.Support;

/// <summary>Read-only queries on a node's SQLite file (provenance.db), for the host's own counts.</summary>
internal static class HostDatabase
{
    public static List<string> SealEventIds(string dataDirectory) => Strings(dataDirectory, "SELECT event_id FROM seals");

    public static List<string> LedgerEventIds(string dataDirectory) => Strings(dataDirectory, "SELECT event_id FROM ledger");

    public static long FixCount(string dataDirectory) => Scalar(dataDirectory, "SELECT count(*) FROM journal WHERE kind = 'fix'");

    public static long AttestedSeals(string dataDirectory) => Scalar(dataDirectory, "SELECT count(*) FROM seals WHERE attested = 1");

    public static long DeadLetters(string dataDirectory, string reason) =>
        Scalar(dataDirectory, $"SELECT count(*) FROM dead_letters WHERE reason_code = '{reason}'");

    private static long Scalar(string dataDirectory, string sql)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<string> Strings(string dataDirectory, string sql)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "provenance.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
