using System.Security.Cryptography;
using Provenance.Core.Gateways;
using Provenance.Core.Signing;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>Decodes received payloads with the product's codec.</summary>
public static class Messages
{
    public static JwsToken Decode(ReceivedMessage message)
    {
        Assert.True(CompactJws.TryDecode(message.Payload, out var token, out var error), error);
        return token!;
    }

    public static SealMessage Seal(ReceivedMessage message) => Read(message, GatewayJsonContext.Default.SealMessage);

    public static GnssMessage Gnss(ReceivedMessage message) => Read(message, GatewayJsonContext.Default.GnssMessage);

    public static StatusMessage Status(ReceivedMessage message) => Read(message, GatewayJsonContext.Default.StatusMessage);

    public static PackMessage Pack(ReceivedMessage message) => Read(message, GatewayJsonContext.Default.PackMessage);

    public static bool Verifies(ReceivedMessage message, ECDsa publicKey) => CompactJws.Verify(Decode(message), publicKey);

    public static IReadOnlyList<SealEvent> SealEvents(IEnumerable<ReceivedMessage> messages) =>
        [.. messages.Where(m => m.IsSeal).SelectMany(m => Seal(m).Events)];

    private static T Read<T>(ReceivedMessage message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        Assert.True(GatewayMessageCodec.TryReadPayload(Decode(message).Payload, type, out var value, out var error), error);
        return value!;
    }
}
