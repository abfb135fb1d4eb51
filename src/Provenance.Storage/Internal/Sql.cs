using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Provenance.Storage.Internal;

/// <summary>
/// Small helpers over ADO.NET so that stores read as SQL, not plumbing. The SQL they carry is written once for both
/// providers: <c>@name</c> parameters, <c>ON CONFLICT</c> and <c>RETURNING</c> (SQLite and PostgreSQL share them).
/// </summary>
internal static class Sql
{
    /// <summary>Whether the connection is PostgreSQL's (for the few statements the two engines spell differently).</summary>
    public static bool IsPostgres(this DbConnection connection) => connection is Npgsql.NpgsqlConnection;

    public static DbCommand Command(this DbConnection connection, string text, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = Portable(value);
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Adds a typed parameter to bind again for every execution of a command prepared once.</summary>
    public static DbParameter Parameter(this DbCommand command, string name, DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } t)
        {
            parameter.DbType = t;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// The value as both engines store it: flags are 0/1 integers (SQLite has no boolean; the PostgreSQL schema keeps
    /// them BIGINT so the same comparisons hold), small integers widen to 64 bits, and null is <see cref="DBNull"/>.
    /// </summary>
    public static object Portable(object? value) => value switch
    {
        null => DBNull.Value,
        bool flag => flag ? 1L : 0L,
        int number => (long)number,
        uint number => (long)number,
        short number => (long)number,
        byte number => (long)number,
        ReadOnlyMemory<byte> bytes => bytes.ToArray(),
        _ => value,
    };

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static double? NullableDouble(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static long ScalarLong(this DbCommand command) => Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
}
