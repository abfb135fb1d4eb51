using System.Globalization;
using Provenance.FirmwareSim.Nmea;
using Provenance.FirmwareSim.Tests.Infrastructure;

namespace Provenance.FirmwareSim.Tests;

public class GnssReceiverModelTests
{
    private static List<string[]> Epochs(GnssBehaviour behaviour, int count)
    {
        var model = new GnssReceiverModel(TestGateway.Latitude, TestGateway.Longitude, 420, behaviour, new Random(7));
        var start = new DateTimeOffset(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i => model.NextEpoch(start.AddSeconds(i), TimeSpan.FromSeconds(1)).Split("\r\n"))];
    }

    [Fact]
    public void A_frozen_receiver_reports_the_same_position_after_the_gateway_restarts_while_a_live_one_does_not()
    {
        static string Position(GnssBehaviour behaviour, int seed)
        {
            var model = new GnssReceiverModel(TestGateway.Latitude, TestGateway.Longitude, 420, behaviour, new Random(seed));
            var gga = NmeaCheck.Fields(model.NextEpoch(new DateTimeOffset(2025, 6, 1, 2, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(1)).Split("\r\n")[0]);
            return string.Join(",", gga[2..6]);
        }

        Assert.Equal(Position(new GnssBehaviour { Frozen = true }, 1), Position(new GnssBehaviour { Frozen = true }, 2));
        Assert.NotEqual(Position(new GnssBehaviour(), 1), Position(new GnssBehaviour(), 2));
    }

    [Fact]
    public void Every_sentence_of_every_epoch_has_a_valid_checksum_and_the_epoch_has_GGA_RMC_GSA_and_GSV()
    {
        foreach (var epoch in Epochs(new GnssBehaviour(), 300))
        {
            Assert.All(epoch, s => Assert.True(NmeaCheck.HasValidChecksum(s), s));
            var addresses = epoch.Select(NmeaCheck.Address).ToList();
            Assert.Equal("GNGGA", addresses[0]);
            Assert.Equal("GNRMC", addresses[1]);
            Assert.Contains("GNGSA", addresses);
            Assert.Contains("GPGSV", addresses);
            Assert.Contains("GBGSV", addresses);
        }
    }

    [Fact]
    public void Fixes_are_realistic_satellites_hdop_and_a_few_metres_of_wander()
    {
        var positions = new List<(double, double)>();
        foreach (var epoch in Epochs(new GnssBehaviour(), 600))
        {
            var gga = NmeaCheck.Fields(epoch[0]);
            Assert.Equal("1", gga[5]);
            var used = int.Parse(gga[6], CultureInfo.InvariantCulture);
            Assert.InRange(used, 10, 24);
            Assert.InRange(double.Parse(gga[7], CultureInfo.InvariantCulture), 0.6, 1.5);

            var gsa = epoch.Where(s => NmeaCheck.Address(s) == "GNGSA").Select(NmeaCheck.Fields).ToList();
            var beiDou = gsa.Where(f => f[17] == "4").SelectMany(f => f[2..14]).Where(p => p.Length > 0).ToList();
            var gps = gsa.Where(f => f[17] == "1").SelectMany(f => f[2..14]).Where(p => p.Length > 0).ToList();
            Assert.InRange(beiDou.Count, 4, 10);
            Assert.Equal(used, beiDou.Count + gps.Count);
            Assert.All(beiDou, p => Assert.InRange(int.Parse(p, CultureInfo.InvariantCulture), 1, 63));

            var rmc = NmeaCheck.Fields(epoch[1]);
            Assert.Equal("A", rmc[1]);
            Assert.Equal("A", rmc[11]);
            positions.Add(NmeaCheck.GgaPosition(epoch[0]));
        }

        var distances = positions.Select(p => NmeaCheck.Haversine(TestGateway.Latitude, TestGateway.Longitude, p.Item1, p.Item2)).ToList();
        Assert.All(distances, d => Assert.InRange(d, 0, 10));
        Assert.True(positions.Distinct().Count() > 500, "the position wanders");
    }

    [Fact]
    public void Gsv_sentences_number_their_parts_and_list_every_visible_satellite()
    {
        var epoch = Epochs(new GnssBehaviour { BeiDouTalker = "BD" }, 1)[0];
        Assert.DoesNotContain(epoch, s => NmeaCheck.Address(s) == "GBGSV");
        foreach (var talker in new[] { "GPGSV", "BDGSV" })
        {
            var parts = epoch.Where(s => NmeaCheck.Address(s) == talker).Select(NmeaCheck.Fields).ToList();
            var total = int.Parse(parts[0][0], CultureInfo.InvariantCulture);
            Assert.Equal(total, parts.Count);
            Assert.Equal(Enumerable.Range(1, total).Select(i => i.ToString(CultureInfo.InvariantCulture)), parts.Select(p => p[1]));
            var visible = int.Parse(parts[0][2], CultureInfo.InvariantCulture);
            Assert.Equal(visible, parts.Sum(p => (p.Length - 4) / 4));
        }
    }
}
