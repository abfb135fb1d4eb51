namespace Provenance.Core.Nmea;

/// <summary>Input that was skipped: where it was, why, and (a prefix of) what it was.</summary>
/// <param name="LineNumber">The 1-based line number in the input stream.</param>
/// <param name="Reason">Why the input was skipped, e.g. <c>bad checksum: sent 4A, computed 4B</c>.</param>
/// <param name="Text">The offending text, printable characters only, at most 120 characters.</param>
public sealed record NmeaDiagnostic(long LineNumber, string Reason, string Text);
