using System.Globalization;

namespace Provenance.Api.Producer;

/// <summary>The printer CSV of issued labels: header <c>url,gtin,serial,lot</c>, RFC 4180 quoting where a field needs it.</summary>
internal static class PrinterCsv
{
    public const string Header = "url,gtin,serial,lot";

    public static string Row(string url, string gtin, string serial, string? lot) =>
        string.Create(CultureInfo.InvariantCulture, $"{Field(url)},{gtin},{Field(serial)},{Field(lot ?? string.Empty)}");

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
