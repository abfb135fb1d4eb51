namespace Provenance.Storage.Ledger;

/// <summary>The configured node key file is missing or holds no usable key; the message names the setting.</summary>
public sealed class NodeKeyException(string message) : Exception(message);
