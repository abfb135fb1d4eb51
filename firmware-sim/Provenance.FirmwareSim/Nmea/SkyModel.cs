namespace Provenance.FirmwareSim.Nmea;

/// <summary>
/// The satellites a multi-GNSS receiver sees: GPS and BeiDou, 10–24 used in the fix of which 4–10 BeiDou.
/// The used counts wander by one now and then; the used satellites are the highest ones.
/// </summary>
internal sealed class SkyModel
{
    private const int GpsVisible = 15;
    private const int BeiDouVisible = 13;
    private readonly Random _random;
    private readonly List<SatelliteTrack> _tracks = [];
    private int _gpsUsed;
    private int _beiDouUsed;

    private readonly int? _fixedGpsUsed;
    private readonly int? _fixedBeiDouUsed;

    /// <summary>Creates the sky; <paramref name="gpsUsed"/> and <paramref name="beiDouUsed"/> pin the used counts (misbehaviour switches).</summary>
    public SkyModel(GnssConstellation beiDou, Random random, int? gpsUsed = null, int? beiDouUsed = null)
    {
        _random = random;
        _fixedGpsUsed = gpsUsed;
        _fixedBeiDouUsed = beiDouUsed;
        AddTracks(GnssConstellation.Gps, GpsVisible);
        AddTracks(beiDou, BeiDouVisible);
        _gpsUsed = random.Next(8, 13);
        _beiDouUsed = random.Next(5, 10);
        Pin();
        SelectUsed();
    }

    /// <summary>All visible satellites, GPS first, each system ordered by satellite number.</summary>
    public IReadOnlyList<SatelliteTrack> Tracks => _tracks;

    public int UsedCount => _gpsUsed + _beiDouUsed;

    public int BeiDouUsedCount => _beiDouUsed;

    /// <summary>Advances the sky by one epoch.</summary>
    public void Advance(double seconds)
    {
        foreach (var track in _tracks)
        {
            track.Advance(seconds, _random);
        }

        if (_random.NextDouble() < 0.1)
        {
            _gpsUsed = Math.Clamp(_gpsUsed + _random.Next(-1, 2), 6, 14);
        }

        if (_random.NextDouble() < 0.1)
        {
            _beiDouUsed = Math.Clamp(_beiDouUsed + _random.Next(-1, 2), 4, 10);
        }

        Pin();
        SelectUsed();
    }

    private void Pin()
    {
        _gpsUsed = _fixedGpsUsed ?? _gpsUsed;
        _beiDouUsed = _fixedBeiDouUsed ?? _beiDouUsed;
    }

    private void AddTracks(GnssConstellation system, int count)
    {
        var prns = Enumerable.Range(1, system.SystemId == GnssConstellation.BeiDouSystemId ? 46 : system.MaxPrn)
            .OrderBy(_ => _random.Next()).Take(count).Order();
        foreach (var prn in prns)
        {
            var elevation = 8 + (_random.NextDouble() * 78);
            var azimuth = _random.NextDouble() * 360;
            var rate = (_random.NextDouble() - 0.5) * 0.01;
            _tracks.Add(new SatelliteTrack(system, prn, elevation, azimuth, rate, 38 + (_random.NextDouble() * 8)));
        }
    }

    private void SelectUsed()
    {
        Select(GnssConstellation.GpsSystemId, _gpsUsed);
        Select(GnssConstellation.BeiDouSystemId, _beiDouUsed);
    }

    private void Select(int systemId, int used)
    {
        var ranked = _tracks.Where(t => t.System.SystemId == systemId).OrderByDescending(t => t.Elevation).ToList();
        for (var i = 0; i < ranked.Count; i++)
        {
            ranked[i].Used = i < used;
        }
    }
}
