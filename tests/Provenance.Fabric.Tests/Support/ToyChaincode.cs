using System.Text;

namespace Provenance.Fabric.Tests.Support;

/// <summary>What one chaincode invocation did: its response, the key versions it read, its writes and its event.</summary>
internal sealed record Simulation(
    int Status,
    string Message,
    byte[] Payload,
    IReadOnlyDictionary<string, ulong> Reads,
    IReadOnlyDictionary<string, byte[]> Writes,
    (string Name, byte[] Payload)? Event);

/// <summary>
/// A toy key-value chaincode: <c>put(key, value)</c> reads the key's version, writes it and emits a <c>put</c> event
/// whose payload is the key; <c>get(key)</c> returns the value or fails with status 500. Accepts an optional
/// <c>Contract:</c> prefix. Stateless.
/// </summary>
internal static class ToyChaincode
{
    public static Simulation Simulate(string function, IReadOnlyList<byte[]> args, Func<string, (byte[]? Value, ulong Version)> read)
    {
        var name = function.Contains(':', StringComparison.Ordinal) ? function[(function.IndexOf(':', StringComparison.Ordinal) + 1)..] : function;
        switch (name)
        {
            case "put" when args.Count == 2:
                {
                    var key = Encoding.UTF8.GetString(args[0]);
                    var (_, version) = read(key);
                    return new Simulation(
                        200, string.Empty, args[1], new Dictionary<string, ulong> { [key] = version }, new Dictionary<string, byte[]> { [key] = args[1] }, ("put", args[0]));
                }

            case "get" when args.Count == 1:
                {
                    var key = Encoding.UTF8.GetString(args[0]);
                    var (value, version) = read(key);
                    return value is null
                        ? Failed($"key not found: {key}")
                        : new Simulation(200, string.Empty, value, new Dictionary<string, ulong> { [key] = version }, new Dictionary<string, byte[]>(), null);
                }

            default:
                return Failed($"unknown function {function} with {args.Count} arguments");
        }
    }

    private static Simulation Failed(string message) =>
        new(500, message, [], new Dictionary<string, ulong>(), new Dictionary<string, byte[]>(), null);
}
