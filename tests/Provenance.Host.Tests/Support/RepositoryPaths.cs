namespace Provenance.Host.Tests.Support;

/// <summary>Finds the repository root (the directory holding Provenance.sln) and paths under it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The shared NMEA conformance logs: <c>../shared/conformance/nmea</c> next to the repository.</summary>
    public static string NmeaConformance => Path.Combine(Shared, "conformance", "nmea");

    /// <summary>Release or Debug, whichever this test assembly was built as.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string HostDll => Path.Combine(Root, "src", "Provenance.Host", "bin", Configuration, "net10.0", "provenance.dll");

    public static string FirmwareSimDll => Path.Combine(Root, "firmware-sim", "Provenance.FirmwareSim", "bin", Configuration, "net10.0", "firmware-sim.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"Provenance.sln not found above {AppContext.BaseDirectory}");
    }
}
