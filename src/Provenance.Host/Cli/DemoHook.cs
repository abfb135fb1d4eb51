using Provenance.Host.Composition;
#if PROVENANCE_DEMO
using Microsoft.Extensions.Options;
using Provenance.Demo;
#endif

namespace Provenance.Host.Cli;

/// <summary>
/// Where <c>serve --demo</c> meets the demo's own project (<c>src/Provenance.Demo</c>, which brings the firmware
/// simulator). Every build has it; a published one (<c>dotnet publish</c>) does not unless built with
/// <c>-p:ProvenanceDemo=true</c>, so a production install carries no simulator.
/// </summary>
internal static class DemoHook
{
#if PROVENANCE_DEMO
    public const bool Available = true;
#else
    public const bool Available = false;
#endif

    /// <summary>What to say when <c>--demo</c> is asked of a build without the demo.</summary>
    public const string Missing =
        "this build has no demo (it was published without it); run the demo from a source checkout with 'dotnet run --project src/Provenance.Host -- serve --demo', or publish with -p:ProvenanceDemo=true";

    /// <summary>
    /// Codes are issued on the first of the scan API's <paramref name="urls"/>, so that the demo's codes scan on this
    /// machine.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ConfigurationOverrides(string urls)
    {
        var first = new Uri(urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0]);
        return new Dictionary<string, string?>
        {
            [$"{CodeOptions.Section}:Domain"] = first.Authority,
            [$"{CodeOptions.Section}:Scheme"] = first.Scheme,
        };
    }

    /// <summary>Seeds the demo and starts the gateway simulator against the started host.</summary>
    public static Task<IDisposable> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
#if PROVENANCE_DEMO
        var codes = app.Services.GetRequiredService<IOptions<CodeOptions>>().Value;
        return DemoSetup.StartAsync(app.Services, ProvenanceApp.DataDirectory(app.Services), codes.Scheme, codes.Domain, cancellationToken);
#else
        _ = app;
        _ = cancellationToken;
        throw new InvalidOperationException(Missing);
#endif
    }
}
