namespace Provenance.Bench.Harness;

/// <summary>What a simulator fleet saw: acknowledged events and messages per second over the steady window, and publish→PUBACK latencies.</summary>
public sealed record FleetResult(double EventsPerSecond, double MessagesPerSecond, long EventsAcked, long MessagesAcked, double LatencyP50Ms, double LatencyP99Ms, TimeSpan Window);
