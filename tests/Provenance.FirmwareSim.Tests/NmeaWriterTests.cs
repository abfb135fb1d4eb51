using Provenance.FirmwareSim.Nmea;
using Provenance.FirmwareSim.Tests.Infrastructure;

namespace Provenance.FirmwareSim.Tests;

public class NmeaWriterTests
{
    [Fact]
    public void Sentence_matches_the_classic_GGA_example_checksum()
    {
        var sentence = NmeaWriter.Sentence("GPGGA", "123519", "4807.038", "N", "01131.000", "E", "1", "08", "0.9", "545.4", "M", "46.9", "M", "", "");
        Assert.Equal("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", sentence);
        Assert.True(NmeaCheck.HasValidChecksum(sentence));
    }

    [Theory]
    [InlineData(27.8497, "2750.98200", "N")]
    [InlineData(-33.5, "3330.00000", "S")]
    [InlineData(0.999999999, "0100.00000", "N")]
    public void Latitude_is_degrees_and_decimal_minutes(double degrees, string value, string hemisphere) =>
        Assert.Equal((value, hemisphere), NmeaWriter.Latitude(degrees));

    [Fact]
    public void Longitude_has_three_degree_digits() =>
        Assert.Equal(("10622.59600", "E"), NmeaWriter.Longitude(106.3766));

    [Fact]
    public void Time_and_date_are_utc_with_hundredths()
    {
        var at = new DateTimeOffset(2025, 3, 9, 17, 4, 5, 670, TimeSpan.FromHours(8));
        Assert.Equal("090405.67", NmeaWriter.Time(at));
        Assert.Equal("090325", NmeaWriter.Date(at));
    }
}
