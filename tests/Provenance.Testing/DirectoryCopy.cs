namespace Provenance.Testing;

/// <summary>Copies a directory tree's files (a node's data directory: its identity, keys and secrets) into another.</summary>
public static class DirectoryCopy
{
    public static void Into(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
