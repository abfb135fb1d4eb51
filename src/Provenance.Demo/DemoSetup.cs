using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Producer;
using Provenance.Core.Codes;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.FirmwareSim;
using Provenance.Ingestion;
using Provenance.Ingestion.Broker;
using Provenance.Storage;

namespace Provenance.Demo;

/// <summary>
/// <c>serve --demo</c>: seeds a site, a gateway, a product, 1,000 tags and a demo producer key (once; kept in
/// DATA/demo), runs the gateway simulator in-process against the embedded broker, prints a progress line while the
/// bottles are sealed, a few scannable URLs (<c>scan: URL</c>) as soon as their bottles are sealed, then what to open:
/// a genuine bottle, a counterfeit (the first code with its MAC altered) and the dashboard with the demo key. The demo
/// issues codes on the local scan address so that they scan on this machine; it also prints emulated taps of the NFC
/// caps of the first three bottles (<c>tap (…): URL</c>, see <see cref="NfcDemo"/>).
/// </summary>
public static class DemoSetup
{
    public const string SiteId = "demo-plant";
    public const string GatewayId = "demo-gw-1";
    public const string Gtin = "09506000134352";
    public const int TagCount = 1000;
    private static readonly GeoPoint Plant = new(27.8611, 106.3720);

    /// <summary>Seeds the demo (once per data directory) and starts the gateway simulator; dispose the result to stop it.</summary>
    /// <param name="services">The started host's services.</param>
    /// <param name="dataDirectory">The host's data directory; the demo keeps its files in <c>demo/</c> under it.</param>
    /// <param name="scheme">The scheme codes are issued with (the host's code options).</param>
    /// <param name="domain">The domain codes are issued on (the host's code options).</param>
    /// <param name="cancellationToken">Stops the set-up.</param>
    public static async Task<IDisposable> StartAsync(IServiceProvider services, string dataDirectory, string scheme, string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = services.GetRequiredService<RegistryStore>();
        var tags = services.GetRequiredService<TagStore>();
        var seals = services.GetRequiredService<SealStore>();
        var codes = services.GetRequiredService<CodeAuthenticator>();
        var options = new DemoCodes(scheme, domain);
        var demoDir = Path.Combine(dataDirectory, "demo");
        Directory.CreateDirectory(demoDir);

        if (registry.FindSite(SiteId) is null)
        {
            registry.AddSite(new Site(SiteId, "Demo Distillery, Renhuai", Plant, 400, null));
        }

        if (registry.FindProduct(Gtin) is null)
        {
            registry.AddProduct(new Product(Gtin, "Demo Baijiu 53% 500 ml", "Provenance Demo Distillery"));
        }

        var keyPath = Path.Combine(demoDir, $"{GatewayId}.key.pem");
        var secretPath = Path.Combine(demoDir, $"{GatewayId}.secret");
        if (registry.FindGateway(GatewayId) is null)
        {
            // Secrets like every other key file: created 0600 (owner only).
            using var newKey = GatewayKeys.Create();
            File.Delete(keyPath);
            File.Delete(secretPath);
            SecretFile.TryCreate(keyPath, GatewayKeys.ExportPrivateKeyPem(newKey));
            var secret = registry.AddGateway(GatewayId, SiteId, GatewayKeys.ExportPublicKeyPem(newKey), GatewayKeys.Fingerprint(newKey));
            SecretFile.TryCreate(secretPath, secret);
        }

        var csvPath = Path.Combine(demoDir, "codes.csv");
        if (!File.Exists(csvPath))
        {
            Console.WriteLine($"demo: issuing {TagCount} tags on {options.Scheme}://{options.Domain} ...");
            var issuer = new TagIssuer(tags, registry, codes, new Core.Epcis.LifecycleEvents(new Core.Epcis.EpcisNames(options.Domain, options.Scheme)), time: services.GetService<TimeProvider>());
            var batch = await issuer.IssueAsync(new TagIssueRequest(Gtin, "DEMO-L1", TagCount, options.Domain, options.Scheme, Path.Combine(demoDir, "labels")), cancellationToken: cancellationToken).ConfigureAwait(false);
            File.Copy(batch.CsvPath!, csvPath);
            Console.WriteLine($"demo: labels (CSV, PNG, SVG) in {Path.Combine(demoDir, "labels")}");
        }

        var producerKey = DemoProducerKey(services, demoDir);
        var urls = File.ReadLines(csvPath).Skip(1).Select(l => l.Split(',')[0]).ToList();
        var unsealed = urls.Where(u => !IsSealed(seals, u)).ToList();
        var nfc = NfcDemo.Prepare(services, demoDir, urls, options);
        var key = GatewayKeys.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(keyPath, cancellationToken).ConfigureAwait(false));
        var broker = services.GetRequiredService<EmbeddedBroker>();
        var simulator = new GatewaySimulator(new SimulatorOptions
        {
            Key = key,
            SiteId = SiteId,
            GatewayId = GatewayId,
            LineId = "line-1",
            Latitude = Plant.Latitude,
            Longitude = Plant.Longitude,
            Codes = unsealed,
            NfcUids = nfc.UidsFor(unsealed),
            Rate = 50,
            Batch = 10,
            Host = "127.0.0.1",
            Port = broker.Port,
            Username = GatewayId,
            Password = (await File.ReadAllTextAsync(secretPath, cancellationToken).ConfigureAwait(false)).Trim(),
            QueueDirectory = Path.Combine(demoDir, "gateway-queue"),
            ProgressInterval = TimeSpan.FromSeconds(30),
        }, TextWriter.Null);

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var printed = 0;
        var progress = seals.Count();
        var tapsPrinted = false;
        var gate = new Lock();
        void PrintSealed(Storage.Ingestion.IngestionOutcome outcome)
        {
            lock (gate)
            {
                var before = printed;

                // The simulator seals in list order, so the first unsealed code ends the look.
                while (printed < 5 && printed < urls.Count && IsSealed(seals, urls[printed]))
                {
                    Console.WriteLine($"scan: {urls[printed]}");
                    printed++;
                }

                if (before < printed && (printed == 5 || printed == urls.Count))
                {
                    PrintWhatToOpen(urls[0], $"{options.Scheme}://{options.Domain}", producerKey);
                }

                if (outcome.SealsStored > 0 && seals.Count() is var count && count / 100 > progress / 100)
                {
                    progress = count;
                    Console.WriteLine($"demo: sealed {Math.Min(count, TagCount)} of {TagCount} bottles");
                }

                if (!tapsPrinted && printed >= NfcDemo.Caps)
                {
                    nfc.PrintTaps(Console.Out);
                    tapsPrinted = true;
                }
            }
        }

        var pipeline = services.GetRequiredService<IngestionPipeline>();
        pipeline.Committed += PrintSealed;
        PrintSealed(new Storage.Ingestion.IngestionOutcome());
        var run = Task.Run(() => simulator.RunAsync(stop.Token), stop.Token);
        Console.WriteLine(unsealed.Count == 0
            ? $"demo: all {TagCount} bottles are sealed; scan API on {options.Scheme}://{options.Domain}"
            : $"demo: sealing {unsealed.Count} bottles at 50/s on line-1 of {registry.FindSite(SiteId)?.Name} (gateway simulator over MQTT); scan API on {options.Scheme}://{options.Domain}");
        return new DemoRun(stop, run, key, () => pipeline.Committed -= PrintSealed);
    }

    /// <summary>The demo's producer key: created once for this data directory and kept in DATA/demo/producer.key (0600).</summary>
    private static string DemoProducerKey(IServiceProvider services, string demoDir)
    {
        var path = Path.Combine(demoDir, "producer.key");
        if (!File.Exists(path))
        {
            var (_, secret) = services.GetRequiredService<ApiKeyStore>().Create(Api.Security.ApiRoles.Producer, null, "demo producer (serve --demo)");
            SecretFile.TryCreate(path, secret);
        }

        return File.ReadAllText(path).Trim();
    }

    private static void PrintWhatToOpen(string genuine, string baseUrl, string producerKey)
    {
        var mac = genuine.IndexOf("m=", StringComparison.Ordinal) + 2;
        var counterfeit = genuine[..mac] + (genuine[mac] == 'A' ? 'B' : 'A') + genuine[(mac + 1)..];
        Console.WriteLine("demo: open these in a browser:");
        Console.WriteLine($"genuine: {genuine}");
        Console.WriteLine($"counterfeit: {counterfeit}  (the same code with one character of its MAC changed)");
        Console.WriteLine($"dashboard: {baseUrl}/dashboard  (sign in with the demo producer key)");
        Console.WriteLine($"demo producer key: {producerKey}  (demo only: made for this demo's data directory; real keys come from 'provenance keys create --role producer')");
    }

    private static bool IsSealed(SealStore seals, string url) =>
        DigitalLink.TryParse(url, out var link, out _) && link!.Gtin is { } g && link.Serial is { } s && seals.FindByTag(g.Value, s) is not null;

    /// <summary>Where the demo's codes point.</summary>
    internal sealed record DemoCodes(string Scheme, string Domain);

    private sealed class DemoRun(CancellationTokenSource stop, Task run, IDisposable key, Action detach) : IDisposable
    {
        public void Dispose()
        {
            detach();
            stop.Cancel();
            try
            {
                run.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The simulator was cancelled; its queue keeps what was not acknowledged.
            }

            stop.Dispose();
            key.Dispose();
        }
    }
}
