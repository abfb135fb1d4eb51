namespace Provenance.Host.Composition.Settings;

/// <summary>A configuration key no settings class has (<see cref="UnknownSettingFinder"/>), and the known name it is probably a misspelling of.</summary>
internal sealed record UnknownSetting(string Path, string? DidYouMean)
{
    public override string ToString() => DidYouMean is null ? Path : $"{Path} (did you mean {Path[..(Path.LastIndexOf(':') + 1)]}{DidYouMean}?)";
}
