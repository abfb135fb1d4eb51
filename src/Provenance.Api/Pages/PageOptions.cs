namespace Provenance.Api.Pages;

/// <summary>How the pages show things, configuration section <c>Pages</c>.</summary>
public sealed class PageOptions
{
    public const string Section = "Pages";

    /// <summary>
    /// The plants' time zone (IANA id): times on a page are written in it on the server, and the page script rewrites
    /// them into the viewer's own zone. Only a viewer without JavaScript sees this one.
    /// </summary>
    public string TimeZone { get; set; } = PageTime.DefaultZoneId;
}
