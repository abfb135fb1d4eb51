using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea.Internal;

/// <summary>Collects the sentences of one epoch; <see cref="FixEpochAssembler"/> turns it into a <see cref="FixEpoch"/>.</summary>
/// <param name="latitudes">Parses latitude fields (shared with the assembler's other builder).</param>
/// <param name="longitudes">Parses longitude fields (shared likewise).</param>
internal sealed class EpochBuilder(CoordinateCache latitudes, CoordinateCache longitudes)
{
    private readonly SatelliteSet _used = new();
    private readonly Constellation[] _seen = new Constellation[Enum.GetValues<Constellation>().Length];
    private int _seenCount;
    private uint _seenMask;
    private int? _gsaFixType;
    private bool _hasGsa;
    private bool _ggaOrGnsValid;
    private bool _rmcValid;
    private double? _gsaHdop;
    private double? _ggaHdop;
    private double? _pdop;
    private double? _vdop;
    private int? _satellitesUsed;
    private double? _latitude;
    private double? _longitude;
    private double? _altitude;
    private int? _quality;
    private char? _rmcStatus;
    private NmeaModeIndicator? _mode;

    public TimeSpan? Time { get; set; }

    public DateOnly? Date { get; set; }

    public bool IsEmpty { get; private set; } = true;

    /// <summary>Empties the builder for the next epoch (the assembler reuses two builders instead of allocating one per epoch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset()
    {
        _used.Clear();
        _seenCount = 0;
        _seenMask = 0;
        _gsaFixType = null;
        _hasGsa = _ggaOrGnsValid = _rmcValid = false;
        _gsaHdop = _ggaHdop = _pdop = _vdop = _latitude = _longitude = _altitude = null;
        _satellitesUsed = _quality = null;
        _rmcStatus = null;
        _mode = null;
        Time = null;
        Date = null;
        IsEmpty = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGga(SentenceView s)
    {
        IsEmpty = false;
        _quality = NmeaFields.ParseInt(s.Field(5)) ?? _quality;
        _satellitesUsed = NmeaFields.ParseInt(s.Field(6)) ?? _satellitesUsed;
        _ggaHdop = NmeaFields.ParseDouble(s.Field(7)) ?? _ggaHdop;
        if (_quality > 0 && TrySetPosition(s, 1))
        {
            _ggaOrGnsValid = true;
            _altitude = NmeaFields.ParseDouble(s.Field(8)) ?? _altitude;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGns(SentenceView s)
    {
        IsEmpty = false;
        var mode = Mode(s.Field(5));
        _mode = mode ?? _mode;
        _satellitesUsed = NmeaFields.ParseInt(s.Field(6)) ?? _satellitesUsed;
        _ggaHdop = NmeaFields.ParseDouble(s.Field(7)) ?? _ggaHdop;
        if (mode is not null and not NmeaModeIndicator.NotValid && TrySetPosition(s, 1))
        {
            _ggaOrGnsValid = true;
            _altitude = NmeaFields.ParseDouble(s.Field(8)) ?? _altitude;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddRmc(SentenceView s)
    {
        IsEmpty = false;
        var status = s.Field(1);
        _rmcStatus = status.Length == 1 ? (char)status[0] : _rmcStatus;
        _mode = Mode(s.Field(11)) ?? _mode;
        if (NmeaFields.TryParseRmcDate(s.Field(8), out var date))
        {
            Date = date;
        }

        if (_rmcStatus == 'A' && TrySetPosition(s, 2))
        {
            _rmcValid = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddZda(SentenceView s)
    {
        IsEmpty = false;
        if (NmeaFields.TryParseZdaDate(s.Field(1), s.Field(2), s.Field(3), out var date))
        {
            Date = date;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGsa(SentenceView s)
    {
        IsEmpty = false;
        _hasGsa = true;
        if (NmeaFields.TryParseInt(s.Field(1), out var fixType) && fixType is >= 1 and <= 3)
        {
            _gsaFixType = Math.Max(_gsaFixType ?? 1, fixType);
        }

        int? systemId = NmeaFields.TryParseInt(s.Field(17), out var id) && id is >= 1 and <= 15 ? id : null;
        var system = SatelliteId.SystemOf(s.Talker, systemId);
        for (var i = 2; i <= 13; i++)
        {
            if (NmeaFields.TryParseInt(s.Field(i), out var number) && number > 0)
            {
                var satellite = SatelliteId.FromNumber(system, number);
                _used.Add(satellite);
                See(satellite.Constellation);
            }
        }

        _pdop = NmeaFields.ParseDouble(s.Field(14)) ?? _pdop;
        _gsaHdop = NmeaFields.ParseDouble(s.Field(15)) ?? _gsaHdop;
        _vdop = NmeaFields.ParseDouble(s.Field(16)) ?? _vdop;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGsv(SentenceView s)
    {
        IsEmpty = false;
        var system = SatelliteId.SystemOf(s.Talker, systemId: null);
        var groups = (s.FieldCount - 3) / 4;
        for (var g = 0; g < groups; g++)
        {
            if (NmeaFields.TryParseInt(s.Field(3 + (4 * g)), out var number) && number > 0)
            {
                See(SatelliteId.FromNumber(system, number).Constellation);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FixEpoch Build(TimeSpan time, DateOnly? date)
    {
        var mode = _hasGsa && _gsaFixType is { } gsa
            ? (FixMode)gsa
            : _ggaOrGnsValid ? (_altitude is null ? FixMode.TwoD : FixMode.ThreeD)
            : _rmcValid ? FixMode.TwoD
            : FixMode.NoFix;
        return new FixEpoch
        {
            TimeOfDay = time,
            Date = date,
            DateFromThisEpoch = Date is not null,
            Latitude = _latitude,
            Longitude = _longitude,
            AltitudeMeters = _altitude,
            FixMode = mode,
            GgaQuality = _quality,
            Hdop = _gsaHdop ?? _ggaHdop,
            Pdop = _pdop,
            Vdop = _vdop,
            SatellitesUsed = _satellitesUsed ?? (_hasGsa ? _used.Count : null),
            BeiDouSatellitesUsed = _hasGsa ? _used.CountOf(Constellation.BeiDou) : null,
            Constellations = SeenSet(),
            RmcStatus = _rmcStatus,
            ModeIndicator = _mode,
        };
    }

    /// <summary>Records a constellation once, keeping the order of first sight (the order the epoch's set enumerates in).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void See(Constellation constellation)
    {
        var bit = 1u << (int)constellation;
        if ((_seenMask & bit) == 0)
        {
            _seenMask |= bit;
            _seen[_seenCount++] = constellation;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HashSet<Constellation> SeenSet()
    {
        var set = new HashSet<Constellation>(_seenCount);
        foreach (var c in _seen.AsSpan(0, _seenCount))
        {
            if (c != Constellation.Unknown)
            {
                set.Add(c);
            }
        }

        return set;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TrySetPosition(SentenceView s, int latIndex)
    {
        if (latitudes.TryParse(s.Field(latIndex), s.Field(latIndex + 1), out var lat)
            && longitudes.TryParse(s.Field(latIndex + 2), s.Field(latIndex + 3), out var lon))
        {
            _latitude = lat;
            _longitude = lon;
            return true;
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static NmeaModeIndicator? Mode(ReadOnlySpan<byte> field)
    {
        NmeaModeIndicator? result = null;
        foreach (var b in field)
        {
            var c = (char)b;
            if (c is 'A' or 'D' or 'E' or 'F' or 'M' or 'N' or 'P' or 'R' or 'S')
            {
                result ??= (NmeaModeIndicator)c;
                if (c == 'S')
                {
                    return NmeaModeIndicator.Simulator;
                }

                if (result == NmeaModeIndicator.NotValid && c != 'N')
                {
                    result = (NmeaModeIndicator)c;
                }
            }
        }

        return result;
    }
}
