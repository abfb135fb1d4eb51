namespace Provenance.Testing;

/// <summary>Locates the repository (the directory holding deploy/ and Provenance.sln).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Mosquitto => Path.Combine(Deploy, "mosquitto");

    public static string Validate => Path.Combine(Deploy, "validate");

    /// <summary>The <c>provenance</c> program (apphost) as built for this test run, in the configuration of this assembly.</summary>
    public static string HostProgram => Path.Combine(Root, "src", "Provenance.Host", "bin", Configuration, "net10.0", "provenance");

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "deploy")) && File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (deploy/ + Provenance.sln) above {AppContext.BaseDirectory}");
    }
}
