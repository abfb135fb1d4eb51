using Provenance.Core.Nfc;

namespace Provenance.Host.Cli;

/// <summary>
/// The UID list of a reel of NTAG 424 DNA caps, as inlay suppliers deliver it: one 7-byte UID in hex a line
/// (separators ':' or '-' and either case accepted); blank lines and lines starting with '#' are skipped.
/// </summary>
internal static class ChipUidList
{
    public static IReadOnlyList<string> Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--chips: cannot read '{path}': {e.Message}");
        }

        var uids = new List<string>(lines.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var uid = line.Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            if (uid.Length != 2 * SecureDynamicMessaging.UidBytes || !NfcUid.IsValid(uid))
            {
                throw new CliUsageException($"--chips: '{path}' line {i + 1}: '{line}' is not a 7-byte NTAG 424 DNA UID (14 hex digits)");
            }

            if (!seen.Add(uid))
            {
                throw new CliUsageException($"--chips: '{path}' line {i + 1}: UID {uid} is listed twice");
            }

            uids.Add(uid);
        }

        return uids.Count > 0 ? uids : throw new CliUsageException($"--chips: '{path}' lists no UIDs");
    }
}
