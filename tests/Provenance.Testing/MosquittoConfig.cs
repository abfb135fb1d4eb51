using System.Text.RegularExpressions;

namespace Provenance.Testing;

/// <summary>
/// Adapts the shipped deploy/mosquitto/mosquitto.conf for a test broker: only the listener (port,
/// bound to 127.0.0.1), persistence_location, password_file, acl_file and include_dir are rewritten,
/// and a `user` line is added so that a broker started by root keeps access to the temp files.
/// Every other setting stays exactly as shipped (<see cref="ChangedSettings"/> proves it).
/// </summary>
public sealed class MosquittoConfig
{
    private static readonly string[] RewrittenKeys = ["listener", "persistence_location", "password_file", "acl_file", "include_dir", "user"];

    private MosquittoConfig(string text) => Text = text;

    public string Text { get; }

    public static string ShippedPath => Path.Combine(RepoPaths.Mosquitto, "mosquitto.conf");

    public static MosquittoConfig Adapt(string shipped, int port, string dataDir, string passwordFile, string aclFile, string includeDir, string? user = null)
    {
        var text = shipped;
        text = ReplaceSingle(text, "listener 1883", $"listener {port} 127.0.0.1");
        text = ReplaceSetting(text, "persistence_location", EnsureTrailingSlash(dataDir));
        text = ReplaceSetting(text, "password_file", passwordFile);
        text = ReplaceSetting(text, "acl_file", aclFile);
        text = ReplaceSetting(text, "include_dir", includeDir);
        // include_dir must stay the last option of the main file, so the user line goes first.
        text = $"user {user ?? Environment.UserName}\n" + text;
        return new MosquittoConfig(text);
    }

    /// <summary>Removes a setting so that mosquitto's built-in default applies (the contrast runs).</summary>
    public MosquittoConfig WithDefaultFor(string key)
    {
        var lines = Text.Split('\n');
        var kept = lines.Where(l => SettingKey(l) != key).ToArray();
        if (kept.Length != lines.Length - 1)
        {
            throw new InvalidOperationException($"Expected exactly one '{key}' line in the configuration");
        }

        return new MosquittoConfig(string.Join('\n', kept));
    }

    /// <summary>Effective settings (key + value) that differ between this and another configuration.</summary>
    public static IReadOnlyList<string> ChangedSettings(string a, string b) =>
        Settings(a).Except(Settings(b)).Concat(Settings(b).Except(Settings(a))).ToList();

    public static IReadOnlyList<string> Settings(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    public static string? Value(string text, string key) =>
        text.Split('\n').Where(l => SettingKey(l) == key).Select(l => l.Trim()[key.Length..].Trim()).SingleOrDefault();

    public static bool IsRewrittenKey(string setting) => RewrittenKeys.Contains(SettingKey(setting));

    public async Task<string> WriteAsync(string path)
    {
        await File.WriteAllTextAsync(path, Text);
        return path;
    }

    private static string? SettingKey(string line)
    {
        var t = line.Trim();
        if (t.Length == 0 || t.StartsWith('#'))
        {
            return null;
        }

        var space = t.IndexOfAny([' ', '\t']);
        return space < 0 ? t : t[..space];
    }

    private static string EnsureTrailingSlash(string dir) => dir.EndsWith('/') ? dir : dir + "/";

    private static string ReplaceSingle(string text, string line, string replacement)
    {
        var pattern = new Regex("^" + Regex.Escape(line) + "[ \t]*$", RegexOptions.Multiline);
        var count = pattern.Matches(text).Count;
        if (count != 1)
        {
            throw new InvalidOperationException($"Expected exactly one '{line}' line in the shipped mosquitto.conf, found {count}");
        }

        return pattern.Replace(text, replacement);
    }

    private static string ReplaceSetting(string text, string key, string value)
    {
        var pattern = new Regex("^" + Regex.Escape(key) + "[ \t]+.*$", RegexOptions.Multiline);
        var count = pattern.Matches(text).Count;
        if (count != 1)
        {
            throw new InvalidOperationException($"Expected exactly one '{key}' setting in the shipped mosquitto.conf, found {count}");
        }

        return pattern.Replace(text, $"{key} {value}");
    }
}
