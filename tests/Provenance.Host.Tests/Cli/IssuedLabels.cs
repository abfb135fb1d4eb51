using System.Text.Json;

namespace Provenance.Host.Tests.Cli;

/// <summary>Reads what <c>tags issue</c> wrote: the printer CSVs' rows, and the serials the registry commissioned (from an <c>epcis export</c>).</summary>
internal static class IssuedLabels
{
    /// <summary>The outer CSV's rows (url, gtin, serial, lot) after the header, in file order.</summary>
    public static List<string[]> Rows(string output) => Read(Directory.GetFiles(output, "batch-*.csv").Single(f => !f.EndsWith("-inner.csv", StringComparison.Ordinal)));

    /// <summary>The inner (under-cap) CSV's rows, in file order.</summary>
    public static List<string[]> InnerRows(string output) => Read(Directory.GetFiles(output, "batch-*-inner.csv").Single());

    /// <summary>The serials of each commissioning event of an EPCIS export, event by event, in the order recorded.</summary>
    public static List<List<string>> Commissioned(string epcisDocument)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(epcisDocument));
        return document.RootElement.GetProperty("epcisBody").GetProperty("eventList").EnumerateArray()
            .Where(e => e.GetProperty("bizStep").GetString() is "commissioning")
            .Select(e => e.GetProperty("epcList").EnumerateArray().Select(epc => Uri.UnescapeDataString(epc.GetString()![(epc.GetString()!.LastIndexOf('/') + 1)..])).ToList())
            .ToList();
    }

    private static List<string[]> Read(string csv) => File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).ToList();
}
