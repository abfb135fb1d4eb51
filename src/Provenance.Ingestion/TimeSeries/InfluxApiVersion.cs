namespace Provenance.Ingestion.TimeSeries;

/// <summary>Which InfluxDB write API <see cref="InfluxWriter"/> speaks.</summary>
public enum InfluxApiVersion
{
    /// <summary>InfluxDB 1.x: <c>POST /write?db=&amp;rp=&amp;precision=ns</c>, HTTP Basic authentication.</summary>
    V1 = 1,

    /// <summary>InfluxDB 2.x: <c>POST /api/v2/write?org=&amp;bucket=&amp;precision=ns</c>, <c>Authorization: Token</c>.</summary>
    V2 = 2,
}
