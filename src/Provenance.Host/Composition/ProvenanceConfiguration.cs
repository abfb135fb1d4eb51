namespace Provenance.Host.Composition;

/// <summary>
/// Where every verb reads its settings, lowest precedence first: the shipped <c>appsettings.json</c> (next to the
/// program), <c>appsettings.json</c> in the working directory, environment variables (<c>Section__Key</c>,
/// <c>ASPNETCORE_URLS</c>, <c>PROVENANCE_Section__Key</c>), then <c>--Section:Key=value</c> arguments. <c>serve</c> and
/// the set-up verbs read the same sources, so a key set for the service (e.g. <c>Codes__Keys__1</c> in
/// <c>/etc/provenance/env</c>) is the key the CLI signs with.
/// </summary>
internal static class ProvenanceConfiguration
{
    public const string EnvironmentPrefix = "PROVENANCE_";
    public const string SettingsFile = "appsettings.json";

    /// <summary>The configuration of a CLI verb (not <c>serve</c>): every source above, without a web host.</summary>
    public static IConfigurationRoot ForCli(IEnumerable<string> arguments)
    {
        var builder = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, SettingsFile), optional: true)
            .AddEnvironmentVariables();
        AddProvenanceSources(builder, [.. arguments]);
        return builder.Build();
    }

    /// <summary>
    /// Adds the sources a default host does not have: the working directory's settings file (placed after the last
    /// settings file already there, so the environment still overrides it), <c>PROVENANCE_</c> variables, and the
    /// command line once more so that it wins over both.
    /// </summary>
    public static void AddProvenanceSources(IConfigurationBuilder builder, string[] arguments)
    {
        var local = new ConfigurationBuilder().AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), SettingsFile), optional: true).Sources[0];
        var lastFile = -1;
        for (var i = 0; i < builder.Sources.Count; i++)
        {
            if (builder.Sources[i] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource)
            {
                lastFile = i;
            }
        }

        builder.Sources.Insert(lastFile + 1, local);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(arguments);
    }

    /// <summary>The scan API address(es) in effect: <c>urls</c> (or <c>ASPNETCORE_URLS</c>), else the default.</summary>
    public static string Urls(IConfiguration configuration) =>
        configuration["urls"] is { Length: > 0 } urls ? urls : ProvenanceApp.DefaultUrl;
}
