namespace Provenance.Bench.Harness;

/// <summary>How a child process ended: exit code, output, wall time and the highest VmHWM seen while it ran.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed, double PeakRssMiB);
