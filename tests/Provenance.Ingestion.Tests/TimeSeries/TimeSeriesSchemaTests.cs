using Provenance.Ingestion.TimeSeries;

namespace Provenance.Ingestion.Tests.TimeSeries;

public class TimeSeriesSchemaTests
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 2, 3, 4, TimeSpan.Zero);
    private static readonly long Ns = (At - DateTimeOffset.UnixEpoch).Ticks * 100;

    [Fact]
    public void A_gnss_fix_has_gateway_and_site_tags_and_typed_fields()
    {
        var point = TimeSeriesSchema.GnssFix("gw 1", "site-7", At, 31.2304, 121.4737, 12.5, 0.9, 14, 6, 1, 3, insideGeofence: true, 42.25);

        Assert.Equal($"gnss_fix,gateway=gw\\ 1,site=site-7 alt=12.5,bds_sats=6i,distance_m=42.25,hdop=0.9,inside_geofence=true,lat=31.2304,lon=121.4737,mode=3i,quality=1i,sats=14i {Ns}", point.ToString());
    }

    [Fact]
    public void Unknown_optional_gnss_values_are_left_out()
    {
        var point = TimeSeriesSchema.GnssFix("gw", "s", At, 1.5, 2.5, null, null, null, null, null, 0, insideGeofence: false, 1000);

        Assert.Equal($"gnss_fix,gateway=gw,site=s distance_m=1000,inside_geofence=false,lat=1.5,lon=2.5,mode=0i {Ns}", point.ToString());
    }

    [Fact]
    public void A_seal_keeps_its_event_id_as_a_field_and_the_seal_time_as_its_timestamp()
    {
        var point = TimeSeriesSchema.Seal("site-7", "gw-1", "L2", At, attested: false, "tamper-evident", "evt-\"1\"");

        Assert.Equal($"seal,attested=false,gateway=gw-1,line=L2,site=site-7 count=1i,event_id=\"evt-\\\"1\\\"\",seal_type=\"tamper-evident\" {Ns}", point.ToString());
    }

    [Fact]
    public void A_scan_counts_one_per_verdict_and_gtin()
    {
        Assert.Equal($"scan,gtin=06900000000001,verdict=suspect count=1i {Ns}", TimeSeriesSchema.Scan("suspect", At, "06900000000001").ToString());
    }

    [Fact]
    public void Ingestion_health_reports_the_sink_lag_in_seconds()
    {
        var point = TimeSeriesSchema.IngestionHealth(At, 12, TimeSpan.FromMilliseconds(1500), 3, 1);

        Assert.Equal($"ingestion journal_depth=12i,rejects=1i,retries=3i,sink_lag=1.5 {Ns}", point.ToString());
    }
}
