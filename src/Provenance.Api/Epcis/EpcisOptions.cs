using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Epcis;

/// <summary>The EPCIS interface, configuration section <c>Epcis</c>.</summary>
public sealed class EpcisOptions
{
    public const string Section = "Epcis";

    /// <summary>The <c>eventTimeZoneOffset</c> written into our events (event times themselves are UTC).</summary>
    [RegularExpression("^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$", ErrorMessage = "Epcis:TimeZoneOffset must look like +08:00")]
    public string TimeZoneOffset { get; set; } = "+00:00";

    /// <summary>Events per page when the query gives no <c>perPage</c>.</summary>
    [Range(1, 10_000)]
    public int DefaultPerPage { get; set; } = 30;

    /// <summary>The most events one page may hold, whatever <c>perPage</c> asks.</summary>
    [Range(1, 10_000)]
    public int MaxPerPage { get; set; } = 1000;

    /// <summary>The most events one capture document may hold (<c>GS1-EPCIS-Capture-Limit</c>).</summary>
    [Range(1, 100_000)]
    public int MaxCaptureEvents { get; set; } = 10_000;
}
