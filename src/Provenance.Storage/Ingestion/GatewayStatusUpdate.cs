namespace Provenance.Storage.Ingestion;

/// <summary>A gateway's reported state (<c>online</c>/<c>offline</c>) and when, written in the commit of its message.</summary>
public sealed record GatewayStatusUpdate(string State, DateTimeOffset At);
