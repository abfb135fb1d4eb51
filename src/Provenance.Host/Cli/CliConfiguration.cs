namespace Provenance.Host.Cli;

/// <summary>The configuration a verb reads, from the same sources as <c>serve</c>: appsettings.json (shipped, then the working directory's) and environment variables.</summary>
internal static class CliConfiguration
{
    public static IConfiguration Load() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddEnvironmentVariables("PROVENANCE_")
        .Build();
}
