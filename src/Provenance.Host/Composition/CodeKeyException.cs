namespace Provenance.Host.Composition;

/// <summary>The code keys cannot be loaded: the message names the setting or file and what to do.</summary>
internal sealed class CodeKeyException(string message) : Exception(message);
