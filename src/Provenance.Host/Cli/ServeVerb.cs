using Provenance.Host.Composition;

namespace Provenance.Host.Cli;

/// <summary><c>provenance serve</c>: the whole product (or the roles of <c>Provenance:Roles</c>) in one process.</summary>
internal static class ServeVerb
{
    public static CliVerb Create() => new(
        ["serve"],
        "Run broker, ingestion, ledger and scan API in one process on embedded defaults.",
        [
            new CliOption("data", "Data directory (SQLite database, node key, code keys); default: Provenance:DataDirectory from appsettings.json or the environment (Provenance__DataDirectory), else ./data."),
            new CliOption("urls", $"Scan API address(es); default: urls / ASPNETCORE_URLS from appsettings.json or the environment, else {ProvenanceApp.DefaultUrl}."),
            new CliOption("demo", "Seed a site, a gateway, a product and 1,000 tags, run the gateway simulator in-process, and print scannable URLs.", IsFlag: true),
        ],
        RunAsync,
        Details: """
            Every setting can also come from appsettings.json in the working directory, environment variables
            (Section__Key or PROVENANCE_Section__Key, e.g. Broker__Port=1884) or --Section:Key=value arguments, for instance
            --Broker:Port=1884, --Codes:Domain=id.example.com, --Provenance:Roles=ingestion. --data and --urls, when given,
            win over the environment. Endpoints: /01/{gtin}/21/{serial}?k=..&m=.. (scan), /health, /health/live,
            /health/ready; /health, /metrics and /openapi/v1.json on the management listener
            (--Management:Url, default http://127.0.0.1:9464) or with an admin key.
            """,
        PassUnknownOptions: true,
        ExitCodes:
        [
            (ExitCodes.Success, "stopped (SIGTERM or Ctrl+C)"),
            (ExitCodes.Failed, "could not start: a port in use, a data directory it cannot use, unreadable code keys (the message names the setting to change)"),
            (ExitCodes.Usage, "a bad option or setting (each one is named)"),
        ]);

    private static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        var configArgs = new List<string>(args.PassThrough);
        if (args.Get("data") is { } data)
        {
            configArgs.Add($"--Provenance:DataDirectory={data}");
        }

        if (args.Get("urls") is { } urls)
        {
            configArgs.Add($"--urls={urls}");
        }

        var demo = args.Has("demo");
        if (demo && !DemoHook.Available)
        {
            await args.Error.WriteLineAsync($"provenance serve: {DemoHook.Missing}.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using var app = ProvenanceApp.Build([.. configArgs], demo ? c => DemoHook.ConfigurationOverrides(ProvenanceConfiguration.Urls(c)) : null);
        if (demo && NodeRoleList.From(app.Configuration) != NodeRoles.All)
        {
            await args.Error.WriteLineAsync("provenance serve: --demo runs every role in one process; remove Provenance:Roles (Provenance__Roles).").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (await HostStart.TryStartAsync(app, args, "serve", cancellationToken).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        using var demoRun = demo ? await DemoHook.StartAsync(app, cancellationToken).ConfigureAwait(false) : null;
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
