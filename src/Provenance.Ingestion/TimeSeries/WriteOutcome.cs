namespace Provenance.Ingestion.TimeSeries;

/// <summary>How an <see cref="InfluxWriter.WriteAsync"/> call ended.</summary>
public enum WriteOutcome
{
    /// <summary>Every point is stored. The caller may advance its cursor.</summary>
    Written,

    /// <summary>
    /// InfluxDB stored the valid points and refused the others for good (bad data); the refused lines
    /// are in <see cref="WriteResult.Rejected"/> and went to the dead-letter callback. The caller may
    /// advance its cursor.
    /// </summary>
    PartiallyRejected,

    /// <summary>
    /// 401/403: fix credentials. Nothing was dropped; the caller must retry the whole batch later
    /// and must not advance its cursor.
    /// </summary>
    Unauthorized,

    /// <summary>
    /// Transient failures outlasted <see cref="InfluxOptions.MaxRetryDuration"/>, or InfluxDB answered
    /// with an unexpected client error (e.g. 404 database not found). Nothing was dropped; the caller
    /// must retry later and must not advance its cursor.
    /// </summary>
    GaveUp,
}
