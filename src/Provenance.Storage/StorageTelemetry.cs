using System.Diagnostics;

namespace Provenance.Storage;

/// <summary>The <see cref="ActivitySource"/> of the storage component, named <c>Provenance.Storage</c>; hosts add exporters. Thread-safe.</summary>
public static class StorageTelemetry
{
    public const string Name = "Provenance.Storage";

    public static readonly ActivitySource ActivitySource = new(Name);
}
