namespace Provenance.Host.Tests.Nfc;

/// <summary>The NFC test classes share one <see cref="CapNode"/>.</summary>
[CollectionDefinition(Name)]
public sealed class CapCollection : ICollectionFixture<CapNode>
{
    public const string Name = "nfc caps";
}
