namespace Provenance.Bench.Harness;

/// <summary>Where the repository, the Release build of the <c>provenance</c> executable and the conformance logs are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The apphost of src/Provenance.Host built Release (bench.sh builds it).</summary>
    /// <remarks><c>$PROVENANCE_EXE</c> names another build's executable instead (to measure an older commit with this harness).</remarks>
    public static string Provenance => Environment.GetEnvironmentVariable("PROVENANCE_EXE") is { Length: > 0 } exe
        ? exe
        : Path.Combine(Root, "src", "Provenance.Host", "bin", "Release", "net10.0", "provenance");

    /// <summary>The shared conformance logs: <c>$PROVENANCE_SHARED</c> (set by <c>compare.sh</c> for a build outside the tree), else <c>../shared</c>.</summary>
    public static string NmeaConformance => Path.GetFullPath(Path.Combine(
        Environment.GetEnvironmentVariable("PROVENANCE_SHARED") is { Length: > 0 } shared ? shared : Path.Combine(Root, "..", "shared"), "conformance", "nmea"));

    public static string Results => Path.Combine(Root, "bench", "results");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Provenance.sln)");
    }
}
