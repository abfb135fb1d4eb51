using System.Diagnostics.CodeAnalysis;

namespace Provenance.Core.Nmea;

/// <summary>The outcome of parsing one sentence: the sentence, or the error and a reason a person can act on.</summary>
/// <param name="Sentence">The sentence when parsing succeeded.</param>
/// <param name="Error">What went wrong, or <see cref="NmeaParseError.None"/>.</param>
/// <param name="Reason">A human-readable reason, e.g. <c>bad checksum: sent 4A, computed 4B</c>; null on success.</param>
public readonly record struct NmeaParseResult(NmeaSentence? Sentence, NmeaParseError Error, string? Reason)
{
    /// <summary>Whether <see cref="Sentence"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Sentence))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsSuccess => Sentence is not null;

    internal static NmeaParseResult Fail(NmeaParseError error, string reason) => new(null, error, reason);
}
