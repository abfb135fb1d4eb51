using System.Globalization;
using System.Text.Json;
using Provenance.Api.Epcis;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Storage.Epcis;

namespace Provenance.Host.Cli;

/// <summary><c>provenance epcis export</c>: writes the EPCIS events of a lot or a time range to an EPCIS 2.0 document file.</summary>
internal static class EpcisExportVerb
{
    private const int Page = 1000;

    public static CliVerb Create() => new(
        ["epcis", "export"],
        "Export EPCIS 2.0 events (a lot's, or a date range's) to an EPCISDocument file for a trading partner or a regulator.",
        [
            new CliOption("lot", "A lot as GTIN/LOT (e.g. 09506000134352/L2026-11): its commissioning, sealing, packing, shipping, receiving, opened, recalled and voided events."),
            new CliOption("from", "Events at or after this time (ISO 8601, e.g. 2026-11-01T00:00:00Z)."),
            new CliOption("to", "Events before this time (ISO 8601)."),
            new CliOption("out", "The file to write (JSON-LD).", Required: true),
            DataOption.Option,
        ],
        Run,
        Details: "Give --lot, or --from and/or --to, or both. Events appear in the order they were recorded, each with its eventID (the CBV 2.0 hash) and recordTime.");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var query = new EpcisQuery { Limit = Page };
        if (args.Get("lot") is { } lot)
        {
            var slash = lot.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || lot.Length == slash + 1)
            {
                throw new CliUsageException("--lot must be GTIN/LOT, e.g. 09506000134352/L1.");
            }

            if (!Gtin.TryParse(lot[..slash], out var gtin, out var error))
            {
                throw new CliUsageException($"--lot: {error}.");
            }

            query = query with { Lot = (gtin.Value, lot[(slash + 1)..]) };
        }

        query = query with { EventTimeFrom = Time(args, "from"), EventTimeBefore = Time(args, "to") };
        if (query.Lot is null && query.EventTimeFrom is null && query.EventTimeBefore is null)
        {
            throw new CliUsageException("give --lot GTIN/LOT, or a range with --from and/or --to.");
        }

        var repository = new EpcisEventStore(DataOption.Open(args));
        var events = new List<StoredEpcisEvent>();
        while (true)
        {
            var page = repository.Query(query);
            events.AddRange(page);
            if (page.Count < Page)
            {
                break;
            }

            query = query with { AfterSequence = page[^1].Sequence };
        }

        var (prefixes, rendered) = EpcisRendering.ForDocument(events);
        var document = EpcisDocuments.Document(rendered, prefixes, TimeProvider.System.GetUtcNow());
        var path = Path.GetFullPath(args.Require("out"));
        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        args.Out.WriteLine($"{events.Count} event(s) written to {path}");
        return Task.FromResult(0);
    }

    private static DateTimeOffset? Time(CliArguments args, string name)
    {
        var text = args.Get(name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CliUsageException($"--{name} must be an ISO 8601 time such as 2026-11-01T00:00:00Z, got '{text}'.");
    }
}
