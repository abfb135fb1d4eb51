namespace Provenance.Storage;

/// <summary>A registry change conflicts with what exists (duplicate id, missing parent); the message says which.</summary>
public sealed class RegistryConflictException(string message) : Exception(message);
