using Provenance.Host.Tests.Support;

namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>
/// Where the Fabric 2.5 binaries are: <c>FABRIC_BIN</c> / <c>FABRIC_CFG_PATH</c>, else <c>../shared/fabric</c> next to
/// the repository, else <c>PATH</c> (with <c>config/</c> next to <c>bin/</c>); and node for the chaincode server.
/// <see cref="MissingReason"/> says why the real-network tests cannot run here, or is null.
/// </summary>
internal static class FabricBinaries
{
    private static readonly string[] Tools = ["peer", "orderer", "osnadmin", "configtxgen", "cryptogen"];

    static FabricBinaries()
    {
        var bin = Environment.GetEnvironmentVariable("FABRIC_BIN") is { Length: > 0 } configured ? configured
            : File.Exists(Path.Combine(RepositoryPaths.Shared, "fabric", "bin", "peer")) ? Path.Combine(RepositoryPaths.Shared, "fabric", "bin")
            : OnPath("peer") is { } peer ? Path.GetDirectoryName(peer)
            : null;
        var config = Environment.GetEnvironmentVariable("FABRIC_CFG_PATH") is { Length: > 0 } cfg ? cfg
            : bin is null ? null : Path.GetFullPath(Path.Combine(bin, "..", "config"));
        Bin = bin;
        Config = config;
        MissingReason =
            bin is null ? "Fabric binaries not found: set FABRIC_BIN (and FABRIC_CFG_PATH), put ../shared/fabric next to the repository, or put peer on PATH"
            : Tools.FirstOrDefault(t => !File.Exists(Path.Combine(bin, t))) is { } missing ? $"{missing} is missing from {bin}"
            : config is null || !File.Exists(Path.Combine(config, "core.yaml")) ? $"core.yaml not found in {config}: set FABRIC_CFG_PATH"
            : OnPath("node") is null ? "node is not on PATH: the chaincode server needs Node.js 20"
            : !Directory.Exists(Path.Combine(RepositoryPaths.Root, "fabric-network", "chaincode", "node_modules")) ? "fabric-network/chaincode/node_modules is missing: run npm ci there (test.sh does)"
            : null;
    }

    public static string? Bin { get; }

    public static string? Config { get; }

    public static string? MissingReason { get; }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
}
