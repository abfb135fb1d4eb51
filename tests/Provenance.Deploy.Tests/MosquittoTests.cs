using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace Provenance.Deploy.Tests;

/// <summary>
/// Starts real mosquitto brokers from the shipped deploy/mosquitto/mosquitto.conf (ports and paths
/// rewritten, nothing else), with users created by the shipped add-gateway.sh and add-ingestion.sh.
/// </summary>
public sealed class MosquittoTests : IAsyncLifetime
{
    private const string IngestionPassword = "ingestion-test-secret";
    private const string GatewayAPassword = "gateway-a-test-secret";
    private const string GatewayBPassword = "gateway-b-test-secret";
    private const string SharedFilter = "$share/ingestion/prov/v1/+/+/+";
    private const int Burst = 20_000;

    private readonly ITestOutputHelper _output;
    private readonly MosquittoTestFiles _files = new();

    public MosquittoTests(ITestOutputHelper output) => _output = output;

    private string WorkDirectory => _files.Directory;

    private string PasswordFile => _files.PasswordFile;

    private string AclFile => _files.AclFile;

    public async Task InitializeAsync()
    {
        await AddGatewayAsync("plant-a", "gw-a", GatewayAPassword);
        await AddGatewayAsync("plant-b", "gw-b", GatewayBPassword);
        foreach (var user in new[] { "ingestion", "ingestion-a", "ingestion-b" })
        {
            var r = await RunScriptAsync("add-ingestion.sh", user, IngestionPassword);
            Assert.True(r.ExitCode == 0, r.Describe("add-ingestion.sh"));
        }
    }

    public Task DisposeAsync()
    {
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Test_configuration_differs_from_the_shipped_one_only_in_listener_and_paths()
    {
        var shipped = await File.ReadAllTextAsync(MosquittoConfig.ShippedPath);
        var adapted = MosquittoConfig.Adapt(shipped, 18830, Path.Combine(WorkDirectory, "data"), PasswordFile, AclFile, Path.Combine(WorkDirectory, "conf.d"));

        var changed = MosquittoConfig.ChangedSettings(shipped, adapted.Text);

        Assert.NotEmpty(changed);
        Assert.All(changed, s => Assert.True(MosquittoConfig.IsRewrittenKey(s), $"setting changed beyond ports/paths: {s}"));
        Assert.Equal("0", MosquittoConfig.Value(adapted.Text, "max_queued_messages"));
        Assert.Equal("true", MosquittoConfig.Value(adapted.Text, "set_tcp_nodelay"));
        Assert.Equal("true", MosquittoConfig.Value(adapted.Text, "persistence"));
        Assert.Equal("false", MosquittoConfig.Value(adapted.Text, "allow_anonymous"));
        Assert.Equal("7d", MosquittoConfig.Value(adapted.Text, "persistent_client_expiration"));
    }

    [Fact]
    public async Task Add_gateway_script_replaces_a_gateways_block_instead_of_duplicating_it_and_rejects_bad_ids()
    {
        await AddGatewayAsync("plant-c", "gw-a", "another-secret");
        await AddGatewayAsync("plant-c", "gw-a", "another-secret");

        var acl = await File.ReadAllLinesAsync(AclFile);
        Assert.Single(acl, l => l == "user gw-a");
        Assert.Single(acl, l => l == "# BEGIN gateway gw-a");
        Assert.Contains("topic write prov/v1/plant-c/gw-a/seal", acl);
        Assert.DoesNotContain("topic write prov/v1/plant-a/gw-a/seal", acl);
        Assert.Contains("topic write prov/v1/plant-b/gw-b/seal", acl);
        Assert.Single(await File.ReadAllLinesAsync(PasswordFile), l => l.StartsWith("gw-a:", StringComparison.Ordinal));

        var bad = await RunAddGatewayAsync("Plant/A", "gw-x", "secret");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("invalid SITE", bad.StdErr, StringComparison.Ordinal);
        var help = await RunAddGatewayAsync("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:", help.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_reaches_ingestion_only_on_its_own_site_and_gateway_topics()
    {
        await using var broker = await StartBrokerAsync();
        var receiver = new Receiver();
        using var ingestion = Mqtt.Factory.CreateMqttClient();
        receiver.Attach(ingestion);
        await ingestion.ConnectAsync(Mqtt.Options(broker.Port, "ingestion-acl", "ingestion", IngestionPassword));
        var sub = await ingestion.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(SharedFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, sub.Items.Single().ResultCode);

        var forbidden = new[]
        {
            "prov/v1/plant-b/gw-b/seal", // another gateway's topic
            "prov/v1/plant-b/gw-a/seal", // its own id under another site
            "prov/v1/plant-a/gw-b/seal", // its own site, another id
        };
        var forbiddenOutcomes = new List<string>();
        foreach (var topic in forbidden)
        {
            // mosquitto 2.0 may disconnect a client after a denied publish: one connection per attempt.
            using var intruder = await Mqtt.ConnectAsync(Mqtt.Options(broker.Port, "gw-a", "gw-a", GatewayAPassword));
            try
            {
                forbiddenOutcomes.Add((await intruder.PublishAsync(Message(topic, "forbidden:" + topic))).ReasonCode.ToString());
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException e)
            {
                forbiddenOutcomes.Add("disconnected: " + e.GetType().Name);
            }
        }

        using var gatewayA = await Mqtt.ConnectAsync(Mqtt.Options(broker.Port, "gw-a", "gw-a", GatewayAPassword));
        var own = await gatewayA.PublishAsync(Message("prov/v1/plant-a/gw-a/seal", "own"));
        var ownPack = await gatewayA.PublishAsync(Message("prov/v1/plant-a/gw-a/pack", "own-pack"));
        // A marker after everything else: once it has arrived, anything that was going to be delivered has been.
        await gatewayA.PublishAsync(Message("prov/v1/plant-a/gw-a/status", "marker"));
        await receiver.WaitForAsync(3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

        _output.WriteLine($"own publish: {own.ReasonCode}; forbidden publishes: {string.Join(", ", forbiddenOutcomes)}");
        _output.WriteLine("received: " + string.Join(", ", receiver.Messages.Select(m => $"{m.Topic}={m.Payload}")));
        Assert.Equal(MqttClientPublishReasonCode.Success, own.ReasonCode);
        Assert.True(receiver.Contains("own"), "the gateway's publish on its own topic did not reach ingestion");
        Assert.Equal(MqttClientPublishReasonCode.Success, ownPack.ReasonCode);
        Assert.True(receiver.Contains("own-pack"), "the gateway's pack message (packaging hierarchy) did not reach ingestion");
        Assert.True(receiver.Contains("marker"), "the gateway's status publish did not reach ingestion");
        Assert.DoesNotContain(receiver.Messages, m => m.Payload.StartsWith("forbidden:", StringComparison.Ordinal));
        Assert.DoesNotContain(nameof(MqttClientPublishReasonCode.Success), forbiddenOutcomes);
        Assert.All(receiver.Messages, m => Assert.StartsWith("prov/v1/plant-a/gw-a/", m.Topic, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anonymous_and_wrong_password_clients_are_refused()
    {
        await using var broker = await StartBrokerAsync();

        var wrong = await Mqtt.TryConnectAsync(Mqtt.Options(broker.Port, "gw-a", "gw-a", "not-the-password"));
        var anonymous = await Mqtt.TryConnectAsync(Mqtt.Options(broker.Port, "anon", null, null));
        var right = await Mqtt.TryConnectAsync(Mqtt.Options(broker.Port, "gw-a", "gw-a", GatewayAPassword));

        _output.WriteLine($"wrong password: {wrong}; anonymous: {anonymous}; right password: {right}");
        Assert.Equal(nameof(MqttClientConnectResultCode.Success), right);
        Assert.Contains("NotAuthorized", wrong, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("NotAuthorized", anonymous, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_password_that_starts_with_a_dash_is_taken_as_the_password_and_logs_in()
    {
        const string dashed = "-UXa5oKD2USgnww4itLA7VYLc-ZiYKJK";
        await AddGatewayAsync("plant-d", "gw-d", dashed);
        var ingestion = await RunScriptAsync("add-ingestion.sh", "ingestion-d", "-" + IngestionPassword);
        Assert.True(ingestion.ExitCode == 0, ingestion.Describe("add-ingestion.sh"));
        var misplaced = await RunAddGatewayAsync("plant-d", "-gw");
        Assert.Equal(2, misplaced.ExitCode);
        Assert.Contains("unknown option -gw", misplaced.StdErr, StringComparison.Ordinal);

        await using var broker = await StartBrokerAsync();
        var gateway = await Mqtt.TryConnectAsync(Mqtt.Options(broker.Port, "gw-d", "gw-d", dashed));
        var consumer = await Mqtt.TryConnectAsync(Mqtt.Options(broker.Port, "ingestion-d", "ingestion-d", "-" + IngestionPassword));

        Assert.Equal(nameof(MqttClientConnectResultCode.Success), gateway);
        Assert.Equal(nameof(MqttClientConnectResultCode.Success), consumer);
    }

    [Fact]
    public async Task Shipped_configuration_delivers_all_20000_QoS1_messages_queued_for_an_offline_subscriber()
    {
        await using var broker = await StartBrokerAsync();

        var (sent, received) = await RunOfflineSubscriberScenarioAsync(broker, broker, "ingestion-shipped");

        _output.WriteLine($"shipped config: sent {sent}, received {received} distinct");
        Assert.Equal(Burst, sent);
        Assert.True(received == sent, $"shipped mosquitto.conf lost messages: sent {sent}, received {received}\n{broker.Log}");
    }

    [Fact]
    public async Task Mosquitto_default_max_queued_messages_loses_messages_in_the_same_scenario()
    {
        await using var broker = await StartBrokerAsync(c => c.WithDefaultFor("max_queued_messages"));

        var (sent, received) = await RunOfflineSubscriberScenarioAsync(broker, broker, "ingestion-default");

        _output.WriteLine($"default max_queued_messages (1000): sent {sent}, received {received} distinct, lost {sent - received}");
        Assert.Equal(Burst, sent);
        Assert.True(received < sent, $"expected the default queue limit to drop messages, but all {sent} arrived");
    }

    [Fact]
    public async Task Queued_messages_survive_a_graceful_broker_restart()
    {
        var dataDir = Path.Combine(WorkDirectory, "restart-data");
        var port = FreePort.Next();
        var first = await StartBrokerAsync(dataDir: dataDir, port: port);
        MosquittoProcess? second = null;
        try
        {
            var (sent, received) = await RunOfflineSubscriberScenarioAsync(first, null, "ingestion-restart", async () =>
            {
                await first.StopGracefullyAsync();
                Assert.True(File.Exists(Path.Combine(dataDir, "mosquitto.db")), $"no mosquitto.db after SIGTERM:\n{first.Log}");
                second = await StartBrokerAsync(dataDir: dataDir, port: port);
                return second;
            });

            _output.WriteLine($"restart: sent {sent} before SIGTERM, received {received} distinct after the restart");
            Assert.Equal(Burst, sent);
            Assert.True(received == sent, $"messages lost across the restart: sent {sent}, received {received}\n{second?.Log}");
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Shared_group_keeps_an_offline_members_share_until_that_same_client_id_returns()
    {
        // Why ingestion replicas need stable client ids (k8s StatefulSet): mosquitto keeps routing a
        // share of the group's messages to an offline member's persistent session.
        await using var broker = await StartBrokerAsync();
        const int count = 2_000;
        var online = new Receiver();
        using var memberA = Mqtt.Factory.CreateMqttClient();
        online.Attach(memberA);
        await memberA.ConnectAsync(Mqtt.Options(broker.Port, "ingestion-a", "ingestion-a", IngestionPassword, cleanStart: false, sessionExpirySeconds: 3600));
        await memberA.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(SharedFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using (var memberB = await Mqtt.ConnectAsync(Mqtt.Options(broker.Port, "ingestion-b", "ingestion-b", IngestionPassword, cleanStart: false, sessionExpirySeconds: 3600)))
        {
            await memberB.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(SharedFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await memberB.DisconnectAsync();
        }

        using (var gateway = await Mqtt.ConnectAsync(Mqtt.Options(broker.Port, "gw-a", "gw-a", GatewayAPassword)))
        {
            Assert.Equal(count, await Mqtt.PublishSequenceAsync(gateway, "prov/v1/plant-a/gw-a/seal", count));
        }

        var atA = await online.WaitForAsync(count, TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(1));
        var returning = new Receiver();
        using var memberBAgain = Mqtt.Factory.CreateMqttClient();
        returning.Attach(memberBAgain);
        await memberBAgain.ConnectAsync(Mqtt.Options(broker.Port, "ingestion-b", "ingestion-b", IngestionPassword, cleanStart: false, sessionExpirySeconds: 3600));
        var atB = await returning.WaitForAsync(count - atA, TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(1));
        var union = online.Messages.Select(m => m.Payload).Union(returning.Messages.Select(m => m.Payload)).Count();

        _output.WriteLine($"shared group, {count} sent: online member got {atA}, offline member got {atB} when it came back; union {union}");
        Assert.True(atA < count, "mosquitto delivered everything to the online member: stable client ids would not matter");
        Assert.True(atB > 0, "the returning member received nothing");
        Assert.Equal(count, union);
    }

    private static MqttApplicationMessage Message(string topic, string payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    /// <summary>
    /// A persistent ingestion session (Clean Start false, session expiry 1 h, fixed client id) subscribes
    /// with QoS 1 to the shared group and goes offline; gateway A publishes <see cref="Burst"/> QoS 1
    /// messages; then (optionally after <paramref name="between"/>, e.g. a restart) the subscriber
    /// reconnects and drains its queue.
    /// </summary>
    private async Task<(int Sent, int Received)> RunOfflineSubscriberScenarioAsync(
        MosquittoProcess publishBroker, MosquittoProcess? drainBroker, string clientId, Func<Task<MosquittoProcess>>? between = null)
    {
        var options = Mqtt.Options(publishBroker.Port, clientId, "ingestion", IngestionPassword, cleanStart: false, sessionExpirySeconds: 3600);
        using (var subscriber = await Mqtt.ConnectAsync(options))
        {
            var sub = await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(SharedFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, sub.Items.Single().ResultCode);
            await subscriber.DisconnectAsync();
        }

        int sent;
        using (var gateway = await Mqtt.ConnectAsync(Mqtt.Options(publishBroker.Port, "gw-a", "gw-a", GatewayAPassword)))
        {
            sent = await Mqtt.PublishSequenceAsync(gateway, "prov/v1/plant-a/gw-a/seal", Burst);
            await gateway.DisconnectAsync();
        }

        if (between is not null)
        {
            drainBroker = await between();
        }

        var receiver = new Receiver();
        using var drain = Mqtt.Factory.CreateMqttClient();
        receiver.Attach(drain);
        var reconnect = Mqtt.Options(drainBroker!.Port, clientId, "ingestion", IngestionPassword, cleanStart: false, sessionExpirySeconds: 3600);
        var connected = await drain.ConnectAsync(reconnect);
        Assert.True(connected.IsSessionPresent, $"the broker did not keep the persistent session of {clientId}\n{drainBroker.Log}");
        var received = await receiver.WaitForAsync(sent, quiet: TimeSpan.FromSeconds(5), limit: TimeSpan.FromMinutes(3));
        await drain.DisconnectAsync();
        return (sent, received);
    }

    private Task<MosquittoProcess> StartBrokerAsync(Func<MosquittoConfig, MosquittoConfig>? tweak = null, string? dataDir = null, int? port = null) =>
        _files.StartBrokerAsync(tweak, dataDir, port);

    private async Task AddGatewayAsync(string site, string gateway, string password)
    {
        var r = await RunAddGatewayAsync(site, gateway, password);
        Assert.True(r.ExitCode == 0, r.Describe("add-gateway.sh"));
    }

    private Task<ProcessResult> RunAddGatewayAsync(params string[] args) => _files.RunScriptAsync("add-gateway.sh", args);

    private Task<ProcessResult> RunScriptAsync(string script, params string[] args) => _files.RunScriptAsync(script, args);
}
