namespace Provenance.Host.Composition;

/// <summary>The storage settings cannot work as given; the message says which setting and what to put there.</summary>
public sealed class StorageConfigurationException(string message) : Exception(message);
