namespace Provenance.Bench.Harness;

/// <summary>One ingestion run's figures: acknowledged (or counted) events and messages per second, publish→PUBACK p50/p99 in ms.</summary>
public sealed record IngestionSample(double EventsPerSecond, double MessagesPerSecond, double P50, double P99);
