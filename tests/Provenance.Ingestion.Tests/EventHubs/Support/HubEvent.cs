namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>An event as IoT Hub routes it to its built-in endpoint: the authenticated device, application properties, body.</summary>
public sealed record HubEvent(string? DeviceId, IReadOnlyDictionary<string, string> Properties, byte[] Body);
