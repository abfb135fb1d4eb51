using System.Text;

namespace Provenance.FirmwareSim.Queue;

/// <summary>Appends acknowledged event ids to a file, one a line, flushed as each acknowledgement arrives.</summary>
internal sealed class AckLog : IDisposable
{
    private readonly FileStream _file;

    public AckLog(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public void Record(IReadOnlyList<string> eventIds)
    {
        if (eventIds.Count == 0)
        {
            return;
        }

        var text = new StringBuilder(eventIds.Count * 37);
        foreach (var id in eventIds)
        {
            text.Append(id).Append('\n');
        }

        _file.Write(Encoding.UTF8.GetBytes(text.ToString()));
        _file.Flush();
    }

    public void Dispose() => _file.Dispose();
}
