using System.Runtime.CompilerServices;
using Provenance.Core.Nmea.Internal;

namespace Provenance.Core.Nmea;

/// <summary>
/// Groups sentences into fix epochs, one per UTC time. GGA, RMC, GNS and ZDA carry the time: a sentence with a new
/// time completes the current epoch and starts the next. GSA and GSV carry no time and join the current epoch
/// (sentences before the first timed one join the first epoch). Other sentences are ignored.
/// The date comes from RMC or ZDA; epochs without one take the last date seen, moved on a day when the time of day
/// goes back by more than twelve hours (midnight rollover). Not thread-safe: feed it from one thread.
/// </summary>
public sealed class FixEpochAssembler
{
    private static readonly TimeSpan RolloverThreshold = TimeSpan.FromHours(12);
    private EpochBuilder _current;
    private EpochBuilder _spare;
    private DateOnly? _lastDate;
    private TimeSpan _lastDateTime;

    /// <summary>Creates an assembler with no epoch in progress.</summary>
    public FixEpochAssembler()
    {
        CoordinateCache latitudes = new(latitude: true), longitudes = new(latitude: false);
        _current = new EpochBuilder(latitudes, longitudes);
        _spare = new EpochBuilder(latitudes, longitudes);
    }

    /// <summary>Adds one sentence; returns the epoch it completed, if any.</summary>
    public FixEpoch? Add(NmeaSentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var body = sentence.Body;
        Span<byte> bytes = body.Length <= 1024 ? stackalloc byte[body.Length] : new byte[body.Length];
        System.Text.Encoding.Latin1.GetBytes(body, bytes);
        var address = sentence.FieldCount == 0 ? bytes : bytes[..sentence.Commas[0]];
        return Add(new SentenceView(bytes, sentence.Commas, sentence.Talker, SentenceView.KindOf(sentence.Talker, address.Length > 2 ? address[2..] : [])));
    }

    /// <summary>Adds one sentence read as a view over its bytes (the stream decoder's allocation-free path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal FixEpoch? Add(SentenceView sentence)
    {
        switch (sentence.Kind)
        {
            case SentenceKind.Gga or SentenceKind.Rmc or SentenceKind.Gns or SentenceKind.Zda:
                FixEpoch? completed = null;
                if (NmeaFields.TryParseTime(sentence.Field(0), out var time))
                {
                    if (_current.Time is { } currentTime && currentTime != time)
                    {
                        completed = Complete();
                    }

                    _current.Time = time;
                }

                switch (sentence.Kind)
                {
                    case SentenceKind.Gga: _current.AddGga(sentence); break;
                    case SentenceKind.Rmc: _current.AddRmc(sentence); break;
                    case SentenceKind.Gns: _current.AddGns(sentence); break;
                    default: _current.AddZda(sentence); break;
                }

                return completed;
            case SentenceKind.Gsa:
                _current.AddGsa(sentence);
                return null;
            case SentenceKind.Gsv:
                _current.AddGsv(sentence);
                return null;
            default:
                return null;
        }
    }

    /// <summary>Completes the epoch in progress (at the end of the input); <see langword="null"/> when it has no time.</summary>
    public FixEpoch? Flush() => _current.Time is null ? null : Complete();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FixEpoch Complete()
    {
        var builder = _current;
        _current = _spare;
        _current.Reset();
        _spare = builder;
        var time = builder.Time!.Value;
        var date = builder.Date;
        if (date is null && _lastDate is { } last)
        {
            // Past the calendar's last day there is no next date: the epoch gets none rather than an exception.
            date = _lastDateTime - time <= RolloverThreshold ? last : last < DateOnly.MaxValue ? last.AddDays(1) : null;
        }

        if (date is not null)
        {
            _lastDate = date;
            _lastDateTime = time;
        }

        return builder.Build(time, date);
    }
}
