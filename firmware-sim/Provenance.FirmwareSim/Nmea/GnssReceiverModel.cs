using System.Globalization;

namespace Provenance.FirmwareSim.Nmea;

/// <summary>
/// A simulated multi-GNSS receiver at a site: a position wandering a few metres (a mean-reverting random walk),
/// HDOP 0.6–1.5, GPS + BeiDou satellites. <see cref="NextEpoch"/> renders one epoch as NMEA 0183 4.11 sentences:
/// GNGGA, GNRMC, one GNGSA per system (system id field; more if a system uses over 12), GPGSV and GB/BD GSV.
/// </summary>
public sealed class GnssReceiverModel
{
    /// <summary>How far <see cref="GnssBehaviour.OffSite"/> moves the receiver from the site.</summary>
    public const double OffSiteDistanceMetres = 50_000;

    /// <summary>How far a <see cref="GnssBehaviour.Jump"/> epoch lands from the true position.</summary>
    public const double JumpDistanceMetres = 5_000;

    private readonly GnssBehaviour _behaviour;
    private readonly Random _random;
    private readonly SkyModel _sky;
    private readonly double _centreLatitude;
    private readonly double _centreLongitude;
    private readonly double _altitude;
    private double _north;
    private double _east;
    private double _up;
    private double _hdop;
    private long _epochs;

    /// <summary>Creates the receiver model around a site position.</summary>
    public GnssReceiverModel(double latitude, double longitude, double altitude, GnssBehaviour behaviour, Random random)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        ArgumentNullException.ThrowIfNull(random);
        _behaviour = behaviour;
        _random = random;
        _altitude = altitude;
        (_centreLatitude, _centreLongitude) = behaviour.OffSite
            ? GeoMath.Destination(latitude, longitude, 45, OffSiteDistanceMetres)
            : (latitude, longitude);
        _sky = new SkyModel(GnssConstellation.BeiDou(behaviour.BeiDouTalker), random,
            gpsUsed: behaviour.FewSatellites ? 2 : null,
            beiDouUsed: behaviour.NoBeiDou ? 0 : behaviour.FewSatellites ? 1 : null);
        _hdop = 0.7 + (random.NextDouble() * 0.5);
        // A frozen receiver is stuck on one position whatever the gateway software does, restarts included: it starts on
        // the antenna position itself, so every run of a frozen gateway reports the same coordinates.
        (_north, _east) = behaviour.Frozen ? (0, 0) : ((random.NextDouble() - 0.5) * 3, (random.NextDouble() - 0.5) * 3);
    }

    /// <summary>The latitude of the last rendered fix.</summary>
    public double Latitude { get; private set; }

    /// <summary>The longitude of the last rendered fix.</summary>
    public double Longitude { get; private set; }

    /// <summary>Advances the model by <paramref name="elapsed"/> and renders the epoch at <paramref name="at"/>, sentences CRLF-joined.</summary>
    public string NextEpoch(DateTimeOffset at, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        _sky.Advance(seconds);
        if (!_behaviour.Frozen)
        {
            // Ornstein–Uhlenbeck walk: ~1.5 m standard deviation, pulled back towards the antenna position.
            _north = Walk(_north, 1.5, 5, seconds);
            _east = Walk(_east, 1.5, 5, seconds);
            _up = Walk(_up, 2.5, 8, seconds);
        }

        _hdop = _behaviour.PoorHdop
            ? 6 + (_random.NextDouble() * 3)
            : Math.Clamp(_hdop + ((_random.NextDouble() - 0.5) * 0.08), 0.6, 1.5);
        (Latitude, Longitude) = GeoMath.Offset(_centreLatitude, _centreLongitude, _north, _east);
        if (_behaviour.Jump && ++_epochs % 4 == 2)
        {
            (Latitude, Longitude) = GeoMath.Destination(Latitude, Longitude, 90, JumpDistanceMetres);
        }

        var sentences = new List<string>(16);
        sentences.Add(Gga(at));
        sentences.Add(Rmc(at));
        sentences.AddRange(Gsa());
        sentences.AddRange(Gsv());
        if (_behaviour.CorruptNmea)
        {
            Corrupt(sentences);
        }

        return string.Join("\r\n", sentences);
    }

    private double Walk(double value, double sigma, double limit, double seconds)
    {
        const double reversionPerSecond = 0.1;
        var gaussian = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        var next = value - (value * reversionPerSecond * seconds) + (sigma * Math.Sqrt(2 * reversionPerSecond * seconds) * gaussian);
        return Math.Clamp(next, -limit, limit);
    }

    private string Gga(DateTimeOffset at)
    {
        var (lat, ns) = NmeaWriter.Latitude(Latitude);
        var (lon, ew) = NmeaWriter.Longitude(Longitude);
        var quality = _behaviour.SimulationMode ? "8" : "1";
        var used = _sky.UsedCount.ToString("D2", CultureInfo.InvariantCulture);
        return NmeaWriter.Sentence(
            "GNGGA", NmeaWriter.Time(at), lat, ns, lon, ew, quality, used, NmeaWriter.Fixed(_hdop, 2),
            NmeaWriter.Fixed(_altitude + _up, 1), "M", "-3.2", "M", string.Empty, string.Empty);
    }

    private string Rmc(DateTimeOffset at)
    {
        var (lat, ns) = NmeaWriter.Latitude(Latitude);
        var (lon, ew) = NmeaWriter.Longitude(Longitude);
        var mode = _behaviour.SimulationMode ? "S" : "A";
        var speedKnots = NmeaWriter.Fixed(_behaviour.Frozen ? 0 : _random.NextDouble() * 0.05, 3);
        return NmeaWriter.Sentence(
            "GNRMC", NmeaWriter.Time(at), "A", lat, ns, lon, ew, speedKnots, string.Empty, NmeaWriter.Date(at),
            string.Empty, string.Empty, mode, "V");
    }

    private IEnumerable<string> Gsa()
    {
        var pdop = NmeaWriter.Fixed(_hdop * 1.7, 2);
        var hdop = NmeaWriter.Fixed(_hdop, 2);
        var vdop = NmeaWriter.Fixed(_hdop * 1.35, 2);
        foreach (var system in _sky.Tracks.Select(t => t.System).DistinctBy(s => s.SystemId))
        {
            var used = _sky.Tracks.Where(t => t.Used && t.System.SystemId == system.SystemId).Select(t => t.Prn).ToList();
            for (var start = 0; start == 0 || start < used.Count; start += 12)
            {
                var fields = new string[18];
                fields[0] = "A";
                fields[1] = "3";
                for (var i = 0; i < 12; i++)
                {
                    fields[2 + i] = start + i < used.Count ? used[start + i].ToString("D2", CultureInfo.InvariantCulture) : string.Empty;
                }

                fields[14] = pdop;
                fields[15] = hdop;
                fields[16] = vdop;
                fields[17] = system.SystemId.ToString("X", CultureInfo.InvariantCulture);
                yield return NmeaWriter.Sentence("GNGSA", fields);
            }
        }
    }

    private IEnumerable<string> Gsv()
    {
        foreach (var group in _sky.Tracks.GroupBy(t => t.System.SystemId))
        {
            var tracks = group.ToList();
            var system = tracks[0].System;
            var messages = (tracks.Count + 3) / 4;
            for (var m = 0; m < messages; m++)
            {
                var fields = new List<string>
                {
                    messages.ToString(CultureInfo.InvariantCulture),
                    (m + 1).ToString(CultureInfo.InvariantCulture),
                    tracks.Count.ToString("D2", CultureInfo.InvariantCulture),
                };
                foreach (var t in tracks.Skip(m * 4).Take(4))
                {
                    fields.Add(t.Prn.ToString("D2", CultureInfo.InvariantCulture));
                    fields.Add(((int)Math.Round(t.Elevation)).ToString("D2", CultureInfo.InvariantCulture));
                    fields.Add(((int)Math.Round(t.Azimuth) % 360).ToString("D3", CultureInfo.InvariantCulture));
                    fields.Add(t.Used || t.Elevation > 15 ? t.Snr.ToString("D2", CultureInfo.InvariantCulture) : string.Empty);
                }

                fields.Add(system.SignalId.ToString("X", CultureInfo.InvariantCulture));
                yield return NmeaWriter.Sentence(system.GsvTalker + "GSV", [.. fields]);
            }
        }
    }

    private void Corrupt(List<string> sentences)
    {
        // At least one damaged sentence per epoch, alternating bad checksum and truncation, sometimes both.
        var badChecksum = _random.Next(sentences.Count);
        var star = sentences[badChecksum].LastIndexOf('*');
        var wrong = (byte)(Convert.ToByte(sentences[badChecksum][(star + 1)..], 16) ^ (1 + _random.Next(255)));
        sentences[badChecksum] = sentences[badChecksum][..(star + 1)] + wrong.ToString("X2", CultureInfo.InvariantCulture);
        if (_random.NextDouble() < 0.5)
        {
            var victim = _random.Next(sentences.Count);
            var cut = 7 + _random.Next(Math.Max(1, sentences[victim].Length / 2));
            sentences[victim] = sentences[victim][..Math.Min(cut, sentences[victim].Length - 4)];
        }
    }
}
