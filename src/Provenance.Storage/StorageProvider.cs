namespace Provenance.Storage;

/// <summary>Which engine holds a node's state (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file in the data directory: the embedded default, one process.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every process (<c>ConnectionStrings:Provenance</c>).</summary>
    Postgres,
}
