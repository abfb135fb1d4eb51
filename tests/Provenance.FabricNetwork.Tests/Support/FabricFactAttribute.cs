namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>A test on the real Fabric network: reported skipped, with the reason, where the binaries cannot be found.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FabricFactAttribute : FactAttribute
{
    public FabricFactAttribute()
    {
        if (FabricBinaries.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
