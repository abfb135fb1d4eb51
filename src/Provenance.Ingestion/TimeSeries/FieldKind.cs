namespace Provenance.Ingestion.TimeSeries;

/// <summary>The four line-protocol field types this writer emits.</summary>
public enum FieldKind
{
    /// <summary>A signed 64-bit integer, written with the <c>i</c> suffix (<c>count=1i</c>).</summary>
    Integer,

    /// <summary>A finite IEEE 754 double, written in its shortest round-trip form with the invariant culture.</summary>
    Float,

    /// <summary>A boolean, written as <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A string, written in double quotes with <c>"</c> and <c>\</c> escaped.</summary>
    String,
}
