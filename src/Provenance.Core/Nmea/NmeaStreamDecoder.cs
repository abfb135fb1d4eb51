using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea;

/// <summary>
/// Decodes an NMEA 0183 stream: splits it into lines (LF or CRLF), finds the sentences in each line (a line may hold
/// several, or noise before and after them), verifies and parses them, and assembles fix epochs. Everything that
/// cannot be used is reported as an <see cref="NmeaDiagnostic"/> and skipped; nothing is fatal. Lines are parsed as
/// spans over the input bytes (copied only when a line spans two writes); a sentence becomes an object only when
/// sentences are asked for.
/// Push input with <see cref="Write(ReadOnlySpan{byte})"/> or <see cref="WriteLine"/>, end it with
/// <see cref="Complete"/>, and drain results with <see cref="TryRead"/>. Not thread-safe.
/// </summary>
public sealed class NmeaStreamDecoder
{
    /// <summary>Longest line kept; a longer run of bytes without a newline is reported and dropped.</summary>
    public const int MaxLineLength = 4096;

    private readonly Queue<NmeaDecoderOutput> _outputs = new();
    private readonly FixEpochAssembler _assembler = new();
    private readonly bool _includeSentences;
    private readonly byte[] _pending = new byte[MaxLineLength];
    private readonly int[] _commas = new int[NmeaParser.MaxSentenceLength];
    private int _pendingLength;
    private bool _pendingOverflow;
    private bool _completed;

    /// <summary>Creates a decoder.</summary>
    /// <param name="includeSentences">Whether every parsed sentence is also produced as an output item.</param>
    public NmeaStreamDecoder(bool includeSentences = false) => _includeSentences = includeSentences;

    /// <summary>The number of lines consumed so far.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The number of diagnostics produced so far.</summary>
    public long DiagnosticCount { get; private set; }

    /// <summary>Feeds raw bytes (ASCII; other bytes are treated as noise). Lines may span calls.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(ReadOnlySpan<byte> data)
    {
        ThrowIfCompleted();
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Append(data);
                return;
            }

            if (_pendingLength == 0 && !_pendingOverflow && newline <= MaxLineLength)
            {
                // The common case: the whole line is in this write; parse it where it lies.
                ProcessLine(data[..newline]);
            }
            else
            {
                Append(data[..newline]);
                FlushPendingLine();
            }

            data = data[(newline + 1)..];
        }
    }

    /// <summary>Feeds one complete line (its terminator may be included or not).</summary>
    public void WriteLine(ReadOnlySpan<char> line)
    {
        ThrowIfCompleted();
        if (_pendingLength > 0 || _pendingOverflow)
        {
            FlushPendingLine();
        }

        var length = Math.Min(line.Length, MaxLineLength);
        Span<byte> bytes = stackalloc byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = line[i] <= 0xFF ? (byte)line[i] : (byte)0x7F;
        }

        ProcessLine(bytes);
    }

    /// <summary>Ends the input: decodes a last line without terminator and completes the last epoch.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        if (_pendingLength > 0 || _pendingOverflow)
        {
            FlushPendingLine();
        }

        _completed = true;
        if (_assembler.Flush() is { } epoch)
        {
            _outputs.Enqueue(NmeaDecoderOutput.Of(LineNumber, epoch));
        }
    }

    /// <summary>Takes the next decoded item, if any.</summary>
    public bool TryRead(out NmeaDecoderOutput output) => _outputs.TryDequeue(out output);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_pendingOverflow || _pendingLength + bytes.Length > _pending.Length)
        {
            _pendingOverflow = true;
            return;
        }

        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    private void FlushPendingLine()
    {
        if (_pendingOverflow)
        {
            LineNumber++;
            Report("line too long (binary noise or missing line ends)", _pending.AsSpan(0, Math.Min(_pendingLength, 120)));
        }
        else
        {
            ProcessLine(_pending.AsSpan(0, _pendingLength));
        }

        _pendingLength = 0;
        _pendingOverflow = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        LineNumber++;
        line = NmeaParser.Trim(line);
        if (line.IsEmpty)
        {
            return;
        }

        if (line[0] == (byte)'#')
        {
            Report("not an NMEA sentence (comment)", line);
            return;
        }

        var start = line[0] == (byte)'$' ? 0 : line.IndexOf((byte)'$');
        if (start < 0)
        {
            Report("not an NMEA sentence (no '$')", line);
            return;
        }

        if (!NmeaParser.Trim(line[..start]).IsEmpty)
        {
            Report("noise before sentence", line[..start]);
        }

        var rest = line[start..];
        while (!rest.IsEmpty)
        {
            // A sentence runs to the next '$'; its checksum follows its first '*'. One search finds whichever comes
            // first, and only after a '*' is the next '$' searched for.
            var star = -1;
            var next = rest[1..].IndexOfAny((byte)'$', (byte)'*') + 1;
            if (next > 0 && rest[next] == (byte)'*')
            {
                star = next;
                var dollar = rest[(star + 1)..].IndexOf((byte)'$');
                next = dollar < 0 ? 0 : star + 1 + dollar;
            }

            var segment = next == 0 ? rest : rest[..next];
            rest = next == 0 ? [] : rest[next..];
            ProcessSegment(TrimEnd(segment), star);
        }
    }

    /// <summary>Parses one sentence; <paramref name="star"/> is the offset of its first '*', or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessSegment(ReadOnlySpan<byte> segment, int star)
    {
        if (star >= 0 && segment.Length > star + 3)
        {
            var trailing = segment[(star + 3)..];
            segment = segment[..(star + 3)];
            if (!NmeaParser.Trim(trailing).IsEmpty)
            {
                Report("noise after sentence", trailing);
            }
        }

        if (NmeaParser.ParseView(segment, _commas, out var sentence, out var reason) != NmeaParseError.None)
        {
            Report(reason!, segment);
            return;
        }

        if (_includeSentences)
        {
            _outputs.Enqueue(NmeaDecoderOutput.Of(LineNumber, NmeaParser.ToSentence(sentence)));
        }

        if (_assembler.Add(sentence) is { } epoch)
        {
            _outputs.Enqueue(NmeaDecoderOutput.Of(LineNumber, epoch));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> text)
    {
        var end = text.Length;
        while (end > 0 && NmeaParser.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }

    private void Report(string reason, ReadOnlySpan<byte> text)
    {
        DiagnosticCount++;
        _outputs.Enqueue(NmeaDecoderOutput.Of(new NmeaDiagnostic(LineNumber, reason, Printable(text))));
    }

    private static string Printable(ReadOnlySpan<byte> text)
    {
        var length = Math.Min(text.Length, 120);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = text[i] is >= (byte)' ' and <= (byte)'~' ? (char)text[i] : '?';
        }

        return new string(chars);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The decoder has been completed; create a new one for more input.");
        }
    }
}
