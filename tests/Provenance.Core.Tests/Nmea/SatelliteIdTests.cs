using Provenance.Core.Nmea;

namespace Provenance.Core.Tests.Nmea;

public sealed class SatelliteIdTests
{
    [Theory]
    [InlineData(Talker.BD, 2, 2)]
    [InlineData(Talker.GB, 63, 63)]
    [InlineData(Talker.BD, 214, 14)]
    [InlineData(Talker.GN, 201, 1)]
    [InlineData(Talker.GN, 263, 63)]
    [InlineData(Talker.GN, 401, 1)]
    [InlineData(Talker.GN, 437, 37)]
    [InlineData(Talker.GP, 214, 14)]
    public void BeiDou_numbers_map_to_BeiDou_prns(Talker talker, int number, int prn)
    {
        Assert.Equal(new SatelliteId(Constellation.BeiDou, prn), SatelliteId.FromNmea(talker, number));
    }

    [Theory]
    [InlineData(1, 7, Constellation.Gps, 7)]
    [InlineData(2, 68, Constellation.Glonass, 4)]
    [InlineData(3, 5, Constellation.Galileo, 5)]
    [InlineData(4, 32, Constellation.BeiDou, 32)]
    [InlineData(5, 3, Constellation.Qzss, 3)]
    [InlineData(6, 9, Constellation.NavIC, 9)]
    [InlineData(1, 44, Constellation.Sbas, 131)]
    public void NMEA_4_11_system_ids_decide_the_constellation_of_GN_numbers(int systemId, int number, Constellation constellation, int prn)
    {
        Assert.Equal(new SatelliteId(constellation, prn), SatelliteId.FromNmea(Talker.GN, number, systemId));
    }

    [Theory]
    [InlineData(Talker.GN, 12, Constellation.Gps, 12)]
    [InlineData(Talker.GN, 51, Constellation.Sbas, 138)]
    [InlineData(Talker.GN, 73, Constellation.Glonass, 9)]
    [InlineData(Talker.GL, 73, Constellation.Glonass, 9)]
    [InlineData(Talker.GN, 131, Constellation.Sbas, 131)]
    [InlineData(Talker.GP, 193, Constellation.Qzss, 1)]
    [InlineData(Talker.GN, 305, Constellation.Galileo, 5)]
    [InlineData(Talker.GA, 36, Constellation.Galileo, 36)]
    [InlineData(Talker.GQ, 2, Constellation.Qzss, 2)]
    [InlineData(Talker.GN, 999, Constellation.Unknown, 999)]
    public void Numbers_without_a_system_id_follow_the_talker_and_the_extended_ranges(Talker talker, int number, Constellation constellation, int prn)
    {
        Assert.Equal(new SatelliteId(constellation, prn), SatelliteId.FromNmea(talker, number));
    }
}
