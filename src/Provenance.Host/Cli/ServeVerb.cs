using Provenance.Host.Composition;
using Provenance.Host.Demo;

namespace Provenance.Host.Cli;

/// <summary><c>provenance serve</c>: the whole product in one process.</summary>
internal static class ServeVerb
{
    public static CliVerb Create() => new(
        ["serve"],
        "Run broker, ingestion, ledger and scan API in one process on embedded defaults.",
        [
            new CliOption("data", "Data directory (SQLite database, node key, code keys).", "./data"),
            new CliOption("urls", "Scan API address(es).", ProvenanceApp.DefaultUrl),
            new CliOption("demo", "Seed a site, a gateway, a product and 1,000 tags, run the gateway simulator in-process, and print scannable URLs.", IsFlag: true),
        ],
        RunAsync,
        Details: """
            Every setting can also come from appsettings.json in the working directory, PROVENANCE_* environment variables
            (e.g. PROVENANCE_Broker__Port=1884) or --Section:Key=value arguments, for instance --Broker:Port=1884,
            --Codes:Domain=id.example.com, --Ingestion:MaxUnacknowledged=4096.
            Endpoints: /01/{gtin}/21/{serial}?k=..&m=.. (scan), /health/live, /health/ready; /health, /metrics and
            /openapi/v1.json on the management listener (--Management:Url, default http://127.0.0.1:9464) or with an admin key.
            """,
        PassUnknownOptions: true);

    private static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        var configArgs = new List<string>(args.PassThrough)
        {
            $"--Provenance:DataDirectory={args.Get("data")}",
            $"--urls={args.Get("urls")}",
        };
        var demo = args.Has("demo");
        var overrides = demo ? DemoSetup.ConfigurationOverrides(args.Get("urls")!) : null;
        await using var app = ProvenanceApp.Build([.. configArgs], overrides);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("provenance serve: configuration is invalid:").ConfigureAwait(false);
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync($"  - {failure}").ConfigureAwait(false);
            }

            return 2;
        }

        using var demoRun = demo ? await DemoSetup.StartAsync(app, cancellationToken).ConfigureAwait(false) : null;
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
