using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Provenance.Engines.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue 17 / 21 item 10: <c>Logging:Console:FormatterName=json</c> is honoured: one JSON object per line, with the
/// event id and the gateway / message scopes of what the line is about. The line here: a gateway message that asks for
/// its acknowledgement on another gateway's topic (refused, event 8001).
/// </summary>
public sealed class JsonLogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Json_console_lines_carry_the_event_id_and_the_gateway_and_message_scopes()
    {
        await using var rig = await EngineRig.StartAsync(1, withInflux: false);
        await using var ingestion = rig.PlainInstance("ingest-1", "--Logging:Console:FormatterName=json");
        await ingestion.StartAsync();

        using (var gateway = await Mqtt.ConnectAsync(Mqtt.Options(rig.Broker.Port, rig.Gateway.GatewayId, rig.Gateway.GatewayId, rig.Gateway.Secret)))
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"prov/v1/{rig.Gateway.SiteId}/{rig.Gateway.GatewayId}/status")
                .WithPayload("not a signed message"u8.ToArray())
                .WithResponseTopic($"prov/v1/{rig.Gateway.SiteId}/other-gateway/ack/stored")
                .WithCorrelationData([1, 2, 3])
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            Assert.True((await gateway.PublishAsync(message)).IsSuccess);
        }

        var line = await ingestion.Process!.WaitForLineAsync(l => l.Contains("\"EventId\":8001", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        output.WriteLine(line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var scopes = root.GetProperty("Scopes").EnumerateArray().ToList();

        Assert.Equal("Warning", root.GetProperty("LogLevel").GetString());
        Assert.Equal("Provenance.Ingestion.Broker.MqttSubscriber", root.GetProperty("Category").GetString());
        Assert.Contains(scopes, s => s.TryGetProperty("GatewayId", out var g) && g.GetString() == rig.Gateway.GatewayId);
        Assert.Contains(scopes, s => s.TryGetProperty("MessageId", out var m) && m.GetString()!.Length == 16);
        Assert.All(ingestion.Process.Lines.Where(l => l.StartsWith('{')), l => JsonDocument.Parse(l).Dispose());
    }
}
