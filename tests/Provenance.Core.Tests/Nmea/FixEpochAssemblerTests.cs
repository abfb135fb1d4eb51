using Provenance.Core.Nmea;

namespace Provenance.Core.Tests.Nmea;

public sealed class FixEpochAssemblerTests
{
    [Fact]
    public void GGA_RMC_GSA_and_GSV_of_one_time_make_one_epoch()
    {
        var epochs = Nmea.Assemble(
            "$GNRMC,000653.00,A,4404.12994,N,12118.84613,W,0.052,,090624,,,A,V",
            "$GNGGA,000653.00,4404.12994,N,12118.84613,W,1,29,0.69,1109.2,M,,M,,",
            "$GNGSA,A,3,08,10,23,,,,,,,,,,1.05,0.69,0.79,1",
            "$GNGSA,A,3,21,34,19,12,,,,,,,,,1.05,0.69,0.79,4",
            "$GAGSV,3,3,09,33,63,121,35,7");

        var epoch = Assert.Single(epochs);
        Assert.Equal(new DateTimeOffset(2024, 6, 9, 0, 6, 53, TimeSpan.Zero), epoch.TimeUtc);
        Assert.Equal(44 + (4.12994 / 60), epoch.Latitude!.Value, 12);
        Assert.Equal(-(121 + (18.84613 / 60)), epoch.Longitude!.Value, 12);
        Assert.Equal(1109.2, epoch.AltitudeMeters);
        Assert.Equal(FixMode.ThreeD, epoch.FixMode);
        Assert.Equal(1, epoch.GgaQuality);
        Assert.Equal((0.69, 1.05, 0.79), (epoch.Hdop, epoch.Pdop, epoch.Vdop));
        Assert.Equal(29, epoch.SatellitesUsed);
        Assert.Equal(4, epoch.BeiDouSatellitesUsed);
        Assert.Equal([Constellation.Gps, Constellation.Galileo, Constellation.BeiDou], epoch.Constellations.Order());
        Assert.Equal('A', epoch.RmcStatus);
        Assert.Equal(NmeaModeIndicator.Autonomous, epoch.ModeIndicator);
        Assert.True(epoch.HasPosition);
    }

    [Fact]
    public void A_new_utc_time_completes_the_previous_epoch()
    {
        var assembler = new FixEpochAssembler();

        Assert.Null(assembler.Add(Nmea.Sentence("$GPGGA,120000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")));
        Assert.Null(assembler.Add(Nmea.Sentence("$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1")));
        var completed = assembler.Add(Nmea.Sentence("$GPGGA,120001.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"));

        Assert.NotNull(completed);
        Assert.Equal(TimeSpan.FromHours(12), completed.TimeOfDay);
        Assert.Equal(2.5, completed.Pdop);
        Assert.Equal(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1), assembler.Flush()!.TimeOfDay);
        Assert.Null(assembler.Flush());
    }

    [Fact]
    public void Coordinates_keep_full_precision()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GPGGA,132820.60,4134.49821229,N,09345.03351845,W,2,09,1.0,278.020,M,-31.442,M,7.6,0133",
            "$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D"));

        Assert.Equal(41.574970204833333, epoch.Latitude!.Value, 1e-12);
        Assert.Equal(-93.750558640833333, epoch.Longitude!.Value, 1e-12);
        Assert.Equal(NmeaModeIndicator.Differential, epoch.ModeIndicator);
    }

    [Fact]
    public void GGA_only_epochs_keep_the_last_date_and_roll_over_at_midnight()
    {
        var epochs = Nmea.Assemble(
            "$GNGGA,235959.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
            "$GNRMC,235959.00,A,4807.038,N,01131.000,E,0.0,0.0,311224,,,A",
            "$GNGGA,000000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
            "$GNGGA,000001.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");

        Assert.Equal(
            [new DateOnly(2024, 12, 31), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1)],
            epochs.Select(e => e.Date!.Value));
        Assert.Equal([true, false, false], epochs.Select(e => e.DateFromThisEpoch));
    }

    [Fact]
    public void Epochs_before_any_date_have_no_utc_instant()
    {
        var epoch = Assert.Single(Nmea.Assemble("$GNGGA,120000.00,4807.038,N,01131.000,E,1,08,0.9,,M,46.9,M,,"));

        Assert.Null(epoch.TimeUtc);
        Assert.Equal(FixMode.TwoD, epoch.FixMode);
        Assert.True(epoch.HasPosition);
    }

    [Fact]
    public void ZDA_gives_the_date()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GNGGA,055234.200,4739.71890,N,12219.58362,W,1,14,0.9,76.5,M,-21.6,M,,",
            "$GNZDA,055234.200,05,08,2026,00,00"));

        Assert.Equal(new DateTimeOffset(2026, 8, 5, 5, 52, 34, 200, TimeSpan.Zero), epoch.TimeUtc);
    }

    [Fact]
    public void A_ZDA_year_past_9999_gives_no_date_instead_of_an_exception()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GNGGA,055234.200,4739.71890,N,12219.58362,W,1,14,0.9,76.5,M,-21.6,M,,",
            "$GNZDA,055234.200,05,08,10000,00,00"));

        Assert.Null(epoch.Date);
    }

    [Fact]
    public void Rolling_over_past_the_last_calendar_day_gives_no_date_instead_of_an_exception()
    {
        var epochs = Nmea.Assemble(
            "$GNGGA,235959.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
            "$GNZDA,235959.00,31,12,9999,00,00",
            "$GNGGA,000000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");

        Assert.Equal([new DateOnly(9999, 12, 31), (DateOnly?)null], epochs.Select(e => e.Date));
    }

    [Fact]
    public void GNS_gives_position_mode_and_satellites()
    {
        var epoch = Assert.Single(Nmea.Assemble("$GNGNS,074157.799,3114.8902,N,12135.2443,E,AANN,09,1.0,192.9,0.0,,0000"));

        Assert.Equal(31.24817, epoch.Latitude);
        Assert.Equal(FixMode.ThreeD, epoch.FixMode);
        Assert.Equal(9, epoch.SatellitesUsed);
        Assert.Equal(NmeaModeIndicator.Autonomous, epoch.ModeIndicator);
    }

    [Fact]
    public void Simulator_and_estimated_modes_are_exposed()
    {
        var simulated = Assert.Single(Nmea.Assemble("$GPRMC,120000.00,A,4807.038,N,01131.000,E,0.0,0.0,010524,,,S"));
        var estimated = Assert.Single(Nmea.Assemble("$GNGNS,120000.00,4807.038,N,01131.000,E,EE,05,1.0,545.4,46.9,,"));

        Assert.True(simulated.IsSimulated);
        Assert.False(simulated.IsEstimated);
        Assert.Equal(FixMode.TwoD, simulated.FixMode);
        Assert.True(estimated.IsEstimated);
        Assert.False(estimated.IsSimulated);
    }

    [Fact]
    public void No_fix_epochs_have_no_position()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GNGGA,074150.799,,,,,0,00,,,M,0.0,M,,0000,",
            "$GPGSA,A,1,,,,,,,,,,,,,,,,",
            "$GNRMC,074150.799,V,,,,,,,250215,,,N"));

        Assert.False(epoch.HasPosition);
        Assert.Equal(FixMode.NoFix, epoch.FixMode);
        Assert.Equal('V', epoch.RmcStatus);
        Assert.Equal(new DateOnly(2015, 2, 25), epoch.Date);
    }

    [Fact]
    public void GSA_fix_type_wins_over_GGA_quality()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GPGGA,120000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
            "$GPGSA,A,2,04,05,09,,,,,,,,,,2.5,1.3,2.1"));

        Assert.Equal(FixMode.TwoD, epoch.FixMode);
        Assert.Equal(0, epoch.BeiDouSatellitesUsed);
    }

    [Fact]
    public void BeiDou_satellites_are_counted_from_BD_GSA_and_SiRF_GN_GSA_numbers()
    {
        var bd = Assert.Single(Nmea.Assemble(
            "$GPGGA,213121.000,4404.1295864,N,12118.8685453,W,2,07,1.2,1102.537,M,-20.300,M,,0000",
            "$GPGSA,A,3,09,23,08,11,27,28,,,,,,,2.5,1.2,2.2",
            "$BDGSA,A,3,214,,,,,,,,,,,,2.5,1.2,2.2"));
        var gn = Assert.Single(Nmea.Assemble(
            "$GPGGA,053233.438,3114.8821,N,12135.2428,E,1,07,1.2,100.0,M,0.0,M,,0000",
            "$GNGSA,A,3,22,18,14,12,31,24,,,,,,,2.5,1.2,2.2",
            "$GNGSA,A,3,201,,,,,,,,,,,,2.5,1.2,2.2",
            "$GBGSV,1,1,01,01,45,120,40"));

        Assert.Equal(1, bd.BeiDouSatellitesUsed);
        Assert.Contains(Constellation.BeiDou, bd.Constellations);
        Assert.Equal(1, gn.BeiDouSatellitesUsed);
        Assert.Equal([Constellation.Gps, Constellation.BeiDou], gn.Constellations.Order());
    }

    [Fact]
    public void Without_GGA_the_satellites_used_are_the_distinct_GSA_satellites_of_every_constellation_and_number()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GNRMC,120000.00,A,4807.038,N,01131.000,E,0.0,0.0,250215,,,A",
            "$GNGSA,A,3,05,05,999,999,300,110,,,,,,,2.5,1.2,2.2",
            "$GNGSA,A,3,05,1000,214,,,,,,,,,,2.5,1.2,2.2",
            "$GLGSA,A,3,05,,,,,,,,,,,,2.5,1.2,2.2"));

        // GPS 5, GLONASS 5, BeiDou 14 and the unknown numbers 110, 300, 999 and 1000, each once.
        Assert.Equal(7, epoch.SatellitesUsed);
        Assert.Equal(1, epoch.BeiDouSatellitesUsed);
    }

    [Fact]
    public void A_non_integer_field_18_is_not_taken_for_a_system_id()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GNGGA,074157.799,3114.8902,N,12135.2443,E,1,05,1.1,192.9,M,0.0,M,,0000",
            "$BDGSA,A,3,02,03,04,,,,,,,,,,2.1,1.1,1.8,1.2"));

        Assert.Equal(3, epoch.BeiDouSatellitesUsed);
        Assert.Equal(1.8, epoch.Vdop);
    }

    [Fact]
    public void GSV_signal_id_is_not_read_as_a_satellite()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GNGGA,120000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
            "$GPGSV,4,4,13,51,37,160,,1"));

        Assert.Equal([Constellation.Sbas], epoch.Constellations);
    }

    [Fact]
    public void VTG_GST_GBS_and_TXT_are_ignored()
    {
        var epoch = Assert.Single(Nmea.Assemble(
            "$GNGGA,120000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
            "$GNVTG,286.35,T,,M,0.00,N,0.00,K,A",
            "$GNGST,120001.00,16.1,22.2,10.2,2.0,0.4,0.6,1.4",
            "$GNGBS,120001.00,1.0,1.0,2.0,,,,",
            "$GPTXT,01,01,01,ANTENNA OK"));

        Assert.Equal(TimeSpan.FromHours(12), epoch.TimeOfDay);
    }
}
