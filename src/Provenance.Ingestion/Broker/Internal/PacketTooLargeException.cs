namespace Provenance.Ingestion.Broker.Internal;

/// <summary>A client announced a packet larger than the broker reads (or a malformed length); its connection ends.</summary>
internal sealed class PacketTooLargeException(string message) : IOException(message);
