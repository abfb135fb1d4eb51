using System.Diagnostics;
using Provenance.Bench.Harness;
using Provenance.Bench.Suites;

if (args.Length > 0 && args[0] == CountingSubscriber.ChildVerb)
{
    return await CountingSubscriber.RunChildAsync(args[1..]);
}

if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(BenchSettings.Usage);
    return 0;
}

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n\n{BenchSettings.Usage}");
    return 2;
}

if (settings.CompareDirectory is { } compare)
{
    var comparison = BeforeAfterTable.Render(compare, settings.BeforeLabel);
    await File.WriteAllTextAsync(Path.Combine(RepoPaths.Results, "before-after.md"), comparison);
    Console.WriteLine(comparison);
    return 0;
}

IBenchSuite[] suites =
[
    new IngestionSuite(),
    new IngestionPostgresSuite(),
    new ScanSuite(),
    new ScanPostgresSuite(),
    new ScanScaleSuite(),
    new IssuanceSuite(),
    new LedgerSuite(),
    MicroSuite.Fabric(),
    new FabricNetworkSuite(),
    new NmeaCliSuite(),
    MicroSuite.NmeaDecoder(),
    MicroSuite.Mac(),
    MicroSuite.Nfc(),
];

var unknown = settings.Only.Where(o => !suites.Any(s => s.Names.Contains(o, StringComparer.OrdinalIgnoreCase))).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown path(s): {string.Join(", ", unknown)}; known: {string.Join(", ", suites.SelectMany(s => s.Names))}");
    return 2;
}

var clock = Stopwatch.StartNew();
var rows = new List<ResultRow>();
var failed = false;
foreach (var suite in suites.Where(s => s.Names.Any(settings.Includes)))
{
    Log.Info($"== {suite.Name}");
    try
    {
        rows.AddRange(await suite.RunAsync(settings, CancellationToken.None));
    }
    catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or HttpRequestException or MQTTnet.Exceptions.MqttCommunicationException)
    {
        Log.Info($"{suite.Name} failed: {e}");
        rows.Add(new ResultRow(suite.Name, "FAILED: " + e.Message.Split('\n')[0], double.NaN, double.NaN, null));
        failed = true;
    }
}

var table = ResultsTable.Render(rows, settings, clock.Elapsed);
Directory.CreateDirectory(RepoPaths.Results);
var name = settings.Only.Count == 0 && !settings.Quick ? "latest.md" : "latest-partial.md";
await File.WriteAllTextAsync(Path.Combine(RepoPaths.Results, name), table);
if (settings.JsonPath is { } json)
{
    await ResultsJson.WriteAsync(json, rows);
}

Console.WriteLine(table);
Log.Info($"written to bench/results/{name}");
return failed ? 1 : 0;
