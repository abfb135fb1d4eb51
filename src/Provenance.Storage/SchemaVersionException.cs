namespace Provenance.Storage;

/// <summary>The database's schema is not the version this build needs, and migrating at start is off; the message says what to run.</summary>
public sealed class SchemaVersionException(string message) : Exception(message);
