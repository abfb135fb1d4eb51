using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Ingestion.EventHubs;
using Provenance.Ingestion.Tests.EventHubs.Support;
using Provenance.Storage;

namespace Provenance.Ingestion.Tests.EventHubs;

/// <summary>
/// The IoT Hub source with the real Azure.Messaging.EventHubs client, against the loopback AMQP server that checks what
/// Event Hubs checks (TLS, CBS tokens, management READ, partition links with position filters).
/// </summary>
public sealed class EventHubsSourceTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly EventHubsTestServer _server = new(partitionCount: 2);
    private readonly IngestionRig _rig = new("gw-1", "gw-2");

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task Seals_sent_through_iot_hub_are_verified_and_stored_from_every_partition()
    {
        var tags = _rig.IssueTags(20);
        for (var i = 0; i < 10; i++)
        {
            _server.Send((i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture), IngestionRig.FromDevice("gw-1", "seal", _rig.SealMessage("gw-1", tags.Skip(i * 2).Take(2).ToList())));
        }

        await using (await _rig.StartSourceAsync(_server))
        {
            await _rig.WaitAsync(() => _rig.Seals == 20, Timeout);
        }

        var checkpoints = new SourceCheckpointStore(_rig.Database).List($"eventhubs:{EventHubsTestServer.Namespace}/plant-hub/provenance");
        Assert.Equal([("0", 4L), ("1", 4L)], checkpoints.Select(c => (c.Partition, c.SequenceNumber)));
        Assert.Empty(_rig.DeadLetters);
        Assert.Empty(_server.Refusals);
        Assert.All(_server.Links, l => Assert.Equal("amqp.annotation.x-opt-offset > -1", l.Filter.Expression));
        Assert.Empty(_rig.Logs.Errors());
    }

    [Fact]
    public async Task The_device_id_iot_hub_authenticated_is_the_identity_never_the_payload()
    {
        var tags = _rig.IssueTags(5);
        _server.Send("0", IngestionRig.FromDevice("gw-2", "seal", _rig.SealMessage("gw-1", [tags[0]])));
        _server.Send("0", IngestionRig.FromDevice("gw-1", "seal", _rig.SealMessage("gw-2", [tags[1]], named: "gw-1")));
        _server.Send("0", IngestionRig.FromDevice(null, "seal", _rig.SealMessage("gw-1", [tags[2]])));
        _server.Send("0", IngestionRig.FromDevice("gw-9", "seal", _rig.SealMessage("gw-1", [tags[3]])));
        _server.Send("0", IngestionRig.FromDevice("gw-1", null, _rig.SealMessage("gw-1", [tags[4]])));
        _server.Send("0", IngestionRig.FromDevice("gw-1", "seal", _rig.SealMessage("gw-1", [tags[4]])));

        await using (await _rig.StartSourceAsync(_server))
        {
            await _rig.WaitAsync(() => _rig.Seals == 1, Timeout);
        }

        Assert.True(new SealStore(_rig.Database).ContainsEvent(IngestionRig.EventId("gw-1", tags[4])));
        var letters = new DeadLetterStore(_rig.Database).List();
        Assert.Equal(5, letters.Count);
        Assert.Equal(1, _rig.DeadLetters["wrong_topic"]);
        Assert.Equal(1, _rig.DeadLetters["bad_signature"]);
        Assert.Equal(2, _rig.DeadLetters["unknown_gateway"]);
        Assert.Equal(1, _rig.DeadLetters["bad_topic"]);
        Assert.Contains(letters, l => l.Reason.Contains("iothub-connection-device-id", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.Reason.Contains("device 'gw-9' is not a registered gateway", StringComparison.Ordinal));
        Assert.Equal(5, new SourceCheckpointStore(_rig.Database).Find($"eventhubs:{EventHubsTestServer.Namespace}/plant-hub/provenance", "0")!.SequenceNumber);
    }

    [Fact]
    public async Task Gnss_and_status_messages_are_routed_by_their_kind_property_and_verified_as_such()
    {
        _server.Send("1", IngestionRig.FromDevice("gw-1", "status", _rig.StatusMessage("gw-1", "online")));
        _server.Send("1", IngestionRig.FromDevice("gw-1", "gnss", _rig.GnssMessage("gw-1", "$GNGGA,garbage*00\r\n")));
        _server.Send("1", IngestionRig.FromDevice("gw-2", "status", _rig.StatusMessage("gw-1", "offline")));

        await using (await _rig.StartSourceAsync(_server))
        {
            await _rig.WaitAsync(() => _rig.DeadLetters.Values.Sum() == 2, Timeout);
        }

        Assert.Equal("online", _rig.GatewayStatus("gw-1"));
        Assert.Equal(1, _rig.DeadLetters["bad_nmea"]);
        Assert.Equal(1, _rig.DeadLetters["wrong_topic"]);
        Assert.Equal(2, new SourceCheckpointStore(_rig.Database).Find($"eventhubs:{EventHubsTestServer.Namespace}/plant-hub/provenance", "1")!.SequenceNumber);
        Assert.Empty(_rig.Logs.Errors());
    }

    [Fact]
    public async Task A_restarted_source_resumes_right_after_its_checkpoint_and_applies_nothing_twice()
    {
        var tags = _rig.IssueTags(12);
        for (var i = 0; i < 6; i++)
        {
            _server.Send("0", IngestionRig.FromDevice("gw-1", "seal", _rig.SealMessage("gw-1", [tags[i]])));
        }

        _server.Send("0", IngestionRig.FromDevice("gw-1", "bogus", _rig.SealMessage("gw-1", [tags[6]])));
        await using (await _rig.StartSourceAsync(_server))
        {
            await _rig.WaitAsync(() => _rig.Seals == 6 && _rig.DeadLetters.Count == 1, Timeout);
        }

        for (var i = 7; i < 12; i++)
        {
            _server.Send("0", IngestionRig.FromDevice("gw-1", "seal", _rig.SealMessage("gw-1", [tags[i]])));
        }

        var linksBefore = _server.Links.Count(l => l.Partition == "0");
        await using (await _rig.StartSourceAsync(_server))
        {
            await _rig.WaitAsync(() => _rig.Seals == 11, Timeout);
        }

        var resumed = _server.Links.Where(l => l.Partition == "0").Skip(linksBefore).First();
        Assert.Equal("amqp.annotation.x-opt-sequence-number > 6", resumed.Filter.Expression);
        Assert.Equal(0, _rig.Duplicates);
        Assert.Equal(1, _rig.DeadLetters["bad_topic"]);
        Assert.Empty(_rig.Logs.Errors());
    }

    [Fact]
    public async Task A_refused_key_makes_the_source_unready_with_a_reason_to_act_on()
    {
        var wrongKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _server.Send("0", IngestionRig.FromDevice("gw-1", "seal", _rig.SealMessage("gw-1", _rig.IssueTags(1))));

        await using var running = await _rig.StartSourceAsync(_server, key: wrongKey);
        var check = new EventHubsSourceHealthCheck(running.Source);
        var result = await WaitForHealthAsync(check, HealthStatus.Unhealthy);

        Assert.Contains("access refused", result.Description, StringComparison.Ordinal);
        Assert.Contains("EventHubs:ConnectionString", result.Description, StringComparison.Ordinal);
        Assert.Contains(_server.Refusals, r => r.Contains("signature does not match", StringComparison.Ordinal));
        Assert.Equal(0, _rig.Seals);
        Assert.Empty(_rig.DeadLetters);
    }

    [Fact]
    public async Task An_unknown_consumer_group_is_named_in_the_readiness_answer()
    {
        await using var running = await _rig.StartSourceAsync(_server, consumerGroup: "nobody");
        var check = new EventHubsSourceHealthCheck(running.Source);

        var result = await WaitForHealthAsync(check, HealthStatus.Unhealthy);

        Assert.Contains("EventHubs:ConsumerGroup", result.Description, StringComparison.Ordinal);
    }

    private static async Task<HealthCheckResult> WaitForHealthAsync(EventHubsSourceHealthCheck check, HealthStatus wanted)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await check.CheckHealthAsync(new HealthCheckContext());
            if (result.Status == wanted)
            {
                return result;
            }

            try
            {
                // The source's state changes on its own receive attempts; nothing to wait on but time here.
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"readiness stayed {result.Status} ({result.Description}) instead of {wanted}");
            }
        }
    }
}
