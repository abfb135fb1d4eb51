namespace Provenance.Host.Tests.Support;

/// <summary>
/// One node identity for several instances, as a deployment mounts one secret into each: the node key (made at the first
/// start, signs ledger blocks), the code keys and the server secret, copied from one data directory to another.
/// </summary>
internal static class NodeIdentity
{
    public static void Copy(ProvenanceNode from, ProvenanceNode to) => DirectoryCopy.Into(from.DataDirectory, to.DataDirectory);
}
