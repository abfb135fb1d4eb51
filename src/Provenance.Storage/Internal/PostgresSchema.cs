using System.Data.Common;

namespace Provenance.Storage.Internal;

internal static class PostgresSchema
{
    public static int LatestVersion => 0;

    public static int CurrentVersion(DbConnection connection) => 0;

    public static void Migrate(DbConnection connection)
    {
    }
}
