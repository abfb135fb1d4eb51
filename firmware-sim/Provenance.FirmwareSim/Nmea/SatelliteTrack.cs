namespace Provenance.FirmwareSim.Nmea;

/// <summary>One visible satellite in the simulated sky; elevation and azimuth drift slowly between epochs.</summary>
internal sealed class SatelliteTrack(GnssConstellation system, int prn, double elevation, double azimuth, double elevationRate, double baseSnr)
{
    public GnssConstellation System { get; } = system;

    public int Prn { get; } = prn;

    public double Elevation { get; private set; } = elevation;

    public double Azimuth { get; private set; } = azimuth;

    public int Snr { get; private set; } = (int)baseSnr;

    public bool Used { get; set; }

    /// <summary>Moves the satellite by <paramref name="seconds"/> of orbit and redraws its signal strength.</summary>
    public void Advance(double seconds, Random random)
    {
        Elevation = Math.Clamp(Elevation + (elevationRate * seconds), 5, 89);
        if (Elevation is <= 5 or >= 89)
        {
            elevationRate = -elevationRate;
        }

        Azimuth = (Azimuth + (0.002 * seconds) + 360) % 360;

        // Signal strength follows elevation (higher is stronger) with a dB or two of scintillation.
        var snr = baseSnr + ((Elevation - 45) / 6) + ((random.NextDouble() - 0.5) * 3);
        Snr = (int)Math.Clamp(Math.Round(snr), 18, 52);
    }
}
