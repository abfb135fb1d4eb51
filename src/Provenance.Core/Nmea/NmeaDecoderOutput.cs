namespace Provenance.Core.Nmea;

/// <summary>What an item read from <see cref="NmeaStreamDecoder"/> carries.</summary>
public enum NmeaDecoderOutputKind
{
    /// <summary>A checksum-verified sentence (only when the decoder was asked to include sentences).</summary>
    Sentence,

    /// <summary>A completed fix epoch.</summary>
    Epoch,

    /// <summary>Input that was skipped, and why.</summary>
    Diagnostic,
}

/// <summary>One item produced by <see cref="NmeaStreamDecoder"/>: a sentence, an epoch or a diagnostic.</summary>
public readonly record struct NmeaDecoderOutput
{
    private NmeaDecoderOutput(NmeaDecoderOutputKind kind, long lineNumber, NmeaSentence? sentence, FixEpoch? epoch, NmeaDiagnostic? diagnostic)
    {
        Kind = kind;
        LineNumber = lineNumber;
        Sentence = sentence;
        Epoch = epoch;
        Diagnostic = diagnostic;
    }

    /// <summary>Which of <see cref="Sentence"/>, <see cref="Epoch"/> and <see cref="Diagnostic"/> is set.</summary>
    public NmeaDecoderOutputKind Kind { get; }

    /// <summary>The 1-based input line that produced the item (for an epoch: the line that completed it).</summary>
    public long LineNumber { get; }

    /// <summary>The sentence, when <see cref="Kind"/> is <see cref="NmeaDecoderOutputKind.Sentence"/>.</summary>
    public NmeaSentence? Sentence { get; }

    /// <summary>The epoch, when <see cref="Kind"/> is <see cref="NmeaDecoderOutputKind.Epoch"/>.</summary>
    public FixEpoch? Epoch { get; }

    /// <summary>The diagnostic, when <see cref="Kind"/> is <see cref="NmeaDecoderOutputKind.Diagnostic"/>.</summary>
    public NmeaDiagnostic? Diagnostic { get; }

    internal static NmeaDecoderOutput Of(long line, NmeaSentence sentence) => new(NmeaDecoderOutputKind.Sentence, line, sentence, null, null);

    internal static NmeaDecoderOutput Of(long line, FixEpoch epoch) => new(NmeaDecoderOutputKind.Epoch, line, null, epoch, null);

    internal static NmeaDecoderOutput Of(NmeaDiagnostic diagnostic) => new(NmeaDecoderOutputKind.Diagnostic, diagnostic.LineNumber, null, null, diagnostic);
}
