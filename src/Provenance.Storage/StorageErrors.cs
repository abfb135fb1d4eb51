using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Provenance.Storage;

/// <summary>What a storage exception means, for either provider.</summary>
public static class StorageErrors
{
    /// <summary>A constraint refused the write (unique, foreign key, check, not null): SQLite's code 19, PostgreSQL's class 23.</summary>
    public static bool IsConstraintViolation(DbException e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        PostgresException postgres => postgres.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// The database cannot take writes for now, and the same work may succeed later: SQLite busy, locked, out of memory,
    /// I/O error, disk full, cannot open, not a database (5, 6, 7, 10, 13, 14, 26) or read-only (8), or 11 (corrupt);
    /// PostgreSQL unreachable, shutting down, out of resources, or a failed-over primary (read-only transaction).
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 7 or 8 or 10 or 11 or 13 or 14 or 26,
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };

    /// <summary>
    /// The text holds a character the database cannot store: PostgreSQL refuses NUL (U+0000) in text (22021, 22P05),
    /// which SQLite keeps. A request that carries one is bad input, not a server failure.
    /// </summary>
    public static bool IsUnstorableText(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter };
}
