namespace Provenance.Host.Cli;

/// <summary>The standard streams a verb reads and writes (the console, or writers a test supplies).</summary>
internal sealed record CliStreams(TextWriter Out, TextWriter Error, TextReader In);
