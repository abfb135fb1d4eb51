using System.Text;

namespace Provenance.Fabric;

/// <summary>
/// Arguments, transient (private) data and endorsing organisations of a transaction proposal. Immutable once built.
/// </summary>
public sealed class ProposalOptions
{
    /// <summary>No arguments, no transient data, default endorsers.</summary>
    public static readonly ProposalOptions Empty = new();

    /// <summary>The function's arguments, after the function name.</summary>
    public IReadOnlyList<byte[]> Arguments { get; init; } = [];

    /// <summary>Private data passed to the chaincode but not recorded in the transaction.</summary>
    public IReadOnlyDictionary<string, byte[]> Transient { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>MSP ids of the organisations that must endorse; empty lets the gateway choose.</summary>
    public IReadOnlyList<string> EndorsingOrganizations { get; init; } = [];

    /// <summary>Options with UTF-8 string arguments.</summary>
    public static ProposalOptions WithArguments(params IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return new ProposalOptions { Arguments = [.. arguments.Select(Encoding.UTF8.GetBytes)] };
    }
}
