using System.Globalization;

namespace Provenance.FirmwareSim.Queue;

/// <summary>One append-only segment file: <c>{first index, 16 digits}.seg</c>, holding <see cref="Count"/> records.</summary>
internal sealed class QueueSegment(string path, long firstIndex)
{
    public const string Extension = ".seg";

    public string Path { get; } = path;

    public long FirstIndex { get; } = firstIndex;

    public long Count { get; set; }

    public long Length { get; set; }

    public long EndIndex => FirstIndex + Count;

    public static string FileName(long firstIndex) => firstIndex.ToString("D16", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParse(string path, out long firstIndex) =>
        long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out firstIndex);
}
