namespace Provenance.Host.Tests.Support;

/// <summary>Finds the repository root (the directory holding Provenance.sln) and the shared conformance data.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared NMEA conformance logs: <c>../shared/conformance/nmea</c> next to the repository.</summary>
    public static string NmeaConformance => Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance", "nmea"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Provenance.sln above {AppContext.BaseDirectory}.");
    }
}
