namespace Provenance.Host.Tests.Boundary;

/// <summary>Objects of the packaging hierarchy the route × role matrix reaches.</summary>
public sealed partial class BoundaryNode
{
    private Task<string>? _containerOfA;

    /// <summary>The API path of a case that holds only the bottle shipped to distributor A (packed once, on first use).</summary>
    public Task<string> ContainerOfAAsync() => _containerOfA ??= PackForAAsync();

    private async Task<string> PackForAAsync()
    {
        var code = NewCaseCode();
        await PostAsync(Admin, "/api/containers", new { code, level = "case", bottles = new[] { Tags[0] } });
        return "/api/containers" + new Uri(code).AbsolutePath;
    }
}
