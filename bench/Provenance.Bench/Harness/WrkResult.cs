namespace Provenance.Bench.Harness;

/// <summary>What wrk reported: throughput, non-2xx responses and latency percentiles (ms).</summary>
public sealed record WrkResult(double RequestsPerSecond, long Non2xx, double P50Ms, double P99Ms);
