using Provenance.Api.Producer;
using Provenance.Core.Codes;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.FirmwareSim;
using Provenance.Host.Composition;
using Provenance.Ingestion;
using Provenance.Ingestion.Broker;
using Provenance.Storage;

namespace Provenance.Host.Demo;

/// <summary>
/// <c>serve --demo</c>: seeds a site, a gateway, a product and 1,000 tags (once; kept in DATA/demo), runs the gateway
/// simulator in-process against the embedded broker, and prints a few scannable URLs (<c>scan: URL</c>) as soon as
/// their bottles are sealed. The demo issues codes on the local scan address so that they scan on this machine.
/// </summary>
internal static class DemoSetup
{
    public const string SiteId = "demo-plant";
    public const string GatewayId = "demo-gw-1";
    public const string Gtin = "09506000134352";
    public const int TagCount = 1000;
    private static readonly GeoPoint Plant = new(27.8611, 106.3720);

    public static IReadOnlyDictionary<string, string?> ConfigurationOverrides(string urls)
    {
        var first = new Uri(urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0]);
        return new Dictionary<string, string?>
        {
            [$"{CodeOptions.Section}:Domain"] = first.Authority,
            [$"{CodeOptions.Section}:Scheme"] = first.Scheme,
        };
    }

    public static async Task<IDisposable> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var services = app.Services;
        var registry = services.GetRequiredService<RegistryStore>();
        var tags = services.GetRequiredService<TagStore>();
        var seals = services.GetRequiredService<SealStore>();
        var codes = services.GetRequiredService<CodeAuthenticator>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CodeOptions>>().Value;
        var demoDir = Path.Combine(ProvenanceApp.DataDirectory(services), "demo");
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
            using var newKey = GatewayKeys.Create();
            await File.WriteAllTextAsync(keyPath, GatewayKeys.ExportPrivateKeyPem(newKey), cancellationToken).ConfigureAwait(false);
            var secret = registry.AddGateway(GatewayId, SiteId, GatewayKeys.ExportPublicKeyPem(newKey), GatewayKeys.Fingerprint(newKey));
            await File.WriteAllTextAsync(secretPath, secret, cancellationToken).ConfigureAwait(false);
        }

        var csvPath = Path.Combine(demoDir, "codes.csv");
        if (!File.Exists(csvPath))
        {
            Console.WriteLine($"demo: issuing {TagCount} tags on {options.Scheme}://{options.Domain} ...");
            var issuer = new TagIssuer(tags, registry, codes, new Core.Epcis.LifecycleEvents(new Core.Epcis.EpcisNames(options.Domain, options.Scheme)));
            var batch = await issuer.IssueAsync(new TagIssueRequest(Gtin, "DEMO-L1", TagCount, options.Domain, options.Scheme, Path.Combine(demoDir, "labels")), cancellationToken: cancellationToken).ConfigureAwait(false);
            File.Copy(batch.CsvPath!, csvPath);
            Console.WriteLine($"demo: labels (CSV, PNG, SVG) in {Path.Combine(demoDir, "labels")}");
        }

        var urls = File.ReadLines(csvPath).Skip(1).Select(l => l.Split(',')[0]).ToList();
        var unsealed = urls.Where(u => !IsSealed(seals, u)).ToList();
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
        var gate = new Lock();
        void PrintSealed(Storage.Ingestion.IngestionOutcome outcome)
        {
            lock (gate)
            {
                // The simulator seals in list order, so the first unsealed code ends the look.
                while (printed < 5 && printed < urls.Count && IsSealed(seals, urls[printed]))
                {
                    Console.WriteLine($"scan: {urls[printed]}");
                    printed++;
                }
            }
        }

        var pipeline = services.GetRequiredService<IngestionPipeline>();
        pipeline.Committed += PrintSealed;
        PrintSealed(new Storage.Ingestion.IngestionOutcome());
        var run = Task.Run(() => simulator.RunAsync(stop.Token), stop.Token);
        Console.WriteLine($"demo: gateway simulator sealing {unsealed.Count} bottles at 50/s; scan API on {options.Scheme}://{options.Domain}");
        return new DemoRun(stop, run, key, () => pipeline.Committed -= PrintSealed);
    }

    private static bool IsSealed(SealStore seals, string url) =>
        DigitalLink.TryParse(url, out var link, out _) && link!.Gtin is { } g && link.Serial is { } s && seals.FindByTag(g.Value, s) is not null;

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
