using System.Net;
using System.Text.Json.Nodes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.IotHub;

/// <summary>
/// The cloud-to-device half, driven through the producer API while Microsoft's device SDK stays connected: the device
/// twin (desired configuration set by an operator, reported firmware version and queue depth), direct methods and
/// cloud-to-device messages.
/// </summary>
public sealed partial class IotHubDeviceSdkTests
{
    private static readonly JsonObject Answer = new() { ["flushed"] = 17 };

    [Fact]
    public async Task The_device_sdk_reads_the_desired_configuration_reports_firmware_and_queue_depth_shown_on_the_dashboard_and_receives_a_desired_push()
    {
        var twinPath = $"/api/gateways/{hub.Gateway.GatewayId}/twin";
        var offline = await ApiCalls.JsonAsync(Node, HttpMethod.Patch, twinPath + "/desired", hub.ProducerKey, new { publishIntervalSeconds = 30, lineIds = new[] { "line-1", "line-2" } });
        Assert.False(offline.GetProperty("pushed").GetBoolean());
        using (var refused = await ApiCalls.SendAsync(Node, HttpMethod.Patch, twinPath + "/desired", hub.ProducerKey, new { publishIntervalSeconds = 0 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("publishIntervalSeconds", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var device = await DeviceSdkSession.StartAsync(Live(new JsonObject { ["firmwareVersion"] = "2.4.1", ["queueDepth"] = 12 }));

        var twin = await device.NextAsync("twin");
        Assert.Equal(30, twin["desired"]!["publishIntervalSeconds"]!.GetValue<int>());
        Assert.Equal("line-2", twin["desired"]!["lineIds"]![1]!.GetValue<string>());
        Assert.Equal(offline.GetProperty("desiredVersion").GetInt64(), twin["desired"]!["$version"]!.GetValue<long>());
        await device.NextAsync("ready");
        var stored = await ApiCalls.JsonAsync(Node, HttpMethod.Get, twinPath, hub.ProducerKey);
        Assert.Equal("2.4.1", stored.GetProperty("firmwareVersion").GetString());
        Assert.Equal(12, stored.GetProperty("queueDepth").GetInt64());
        Assert.Equal(30, stored.GetProperty("desired").GetProperty("publishIntervalSeconds").GetInt32());
        var dashboard = await ApiCalls.JsonAsync(Node, HttpMethod.Get, "/api/dashboard", hub.ProducerKey);
        var card = dashboard.GetProperty("gateways").EnumerateArray().Single(g => g.GetProperty("id").GetString() == hub.Gateway.GatewayId);
        Assert.Equal("2.4.1", card.GetProperty("firmwareVersion").GetString());
        Assert.Equal(12, card.GetProperty("queueDepth").GetInt64());

        var changed = await ApiCalls.JsonAsync(Node, HttpMethod.Patch, twinPath + "/desired", hub.ProducerKey, new { publishIntervalSeconds = 10 });

        Assert.True(changed.GetProperty("pushed").GetBoolean());
        var version = changed.GetProperty("desiredVersion").GetInt64();
        var push = await device.NextAsync("desired", e => e["patch"]?["$version"]?.GetValue<long>() == version);
        Assert.Equal(10, push["patch"]!["publishIntervalSeconds"]!.GetValue<int>());
        Assert.Equal(2, changed.GetProperty("desired").GetProperty("lineIds").GetArrayLength());
        Assert.True((await device.StopAsync())["ok"]!.GetValue<bool>());
        AssertNoFailureLogged();
    }

    [Fact]
    public async Task A_direct_method_invoked_through_the_producer_api_is_answered_by_the_device_sdk_and_refused_clearly_once_it_is_offline()
    {
        var path = $"/api/gateways/{hub.Gateway.GatewayId}/methods/flushQueue";
        await using (var device = await DeviceSdkSession.StartAsync(Live(new JsonObject { ["queueDepth"] = 17 })))
        {
            await device.NextAsync("ready");

            var answer = await ApiCalls.JsonAsync(Node, HttpMethod.Post, path, hub.ProducerKey, new { payload = new { reason = "operator" }, responseTimeoutInSeconds = 20 });

            Assert.Equal(200, answer.GetProperty("status").GetInt32());
            Assert.Equal(17, answer.GetProperty("payload").GetProperty("flushed").GetInt32());
            var call = await device.NextAsync("method");
            Assert.Equal("flushQueue", call["name"]!.GetValue<string>());
            Assert.Equal("operator", call["payload"]!["reason"]!.GetValue<string>());
            Assert.True((await device.StopAsync())["ok"]!.GetValue<bool>());
        }

        using var offline = await ApiCalls.SendAsync(Node, HttpMethod.Post, path, hub.ProducerKey, new { payload = new { } });
        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Contains("is not connected", await offline.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertNoFailureLogged();
    }

    [Fact]
    public async Task A_cloud_to_device_message_sent_through_the_producer_api_reaches_the_device_sdk_with_its_properties()
    {
        var path = $"/api/gateways/{hub.Gateway.GatewayId}/messages";
        await using var device = await DeviceSdkSession.StartAsync(Live(new JsonObject { ["queueDepth"] = 0 }));
        await device.NextAsync("ready");

        using var sent = await ApiCalls.SendAsync(Node, HttpMethod.Post, path, hub.ProducerKey, new { body = "{\"relabel\":\"line-2\"}", properties = new Dictionary<string, string> { ["command"] = "relabel", ["line id"] = "line 2&3" } });

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var message = await device.NextAsync("c2d");
        Assert.Equal("{\"relabel\":\"line-2\"}", message["body"]!.GetValue<string>());
        Assert.Equal("relabel", message["properties"]!["command"]!.GetValue<string>());
        Assert.Equal("line 2&3", message["properties"]!["line id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(message["messageId"]?.GetValue<string>()));
        using (var refused = await ApiCalls.SendAsync(Node, HttpMethod.Post, path, hub.ProducerKey, new { body = "x", properties = new Dictionary<string, string> { ["$.to"] = "elsewhere" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.True((await device.StopAsync())["ok"]!.GetValue<bool>());
        AssertNoFailureLogged();
    }

    private JsonObject Live(JsonObject reported) => new()
    {
        ["connectionString"] = hub.ConnectionString(),
        ["ca"] = hub.CaPath,
        ["method"] = "flushQueue",
        ["answer"] = Answer.DeepClone(),
        ["reported"] = reported,
    };
}
