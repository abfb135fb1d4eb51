using System.Diagnostics;
using System.Globalization;
using Provenance.Core.Gateways;
using Provenance.FirmwareSim.Tests.Infrastructure;

namespace Provenance.FirmwareSim.Tests;

/// <summary>The simulator against a real mosquitto child process.</summary>
public sealed class MosquittoIntegrationTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TestGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Every_message_is_an_es256_jws_by_the_gateway_key_and_every_nmea_sentence_checks_out()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await Subscriber.ConnectAsync(broker.Port);
        var options = _gateway.Options(broker.Port, codes: 30) with { GnssInterval = TimeSpan.FromMilliseconds(50), Nfc = true };

        // First the receiver alone until five epochs are acknowledged, then the sealing run on the same queue.
        using (var stop = new CancellationTokenSource())
        {
            var receiver = new GatewaySimulator(options with { Codes = [] });
            var gnssRun = receiver.RunAsync(stop.Token);
            await receiver.WhenAsync(c => c.MessagesAcked >= 5, Timeout, "5 epochs acknowledged");
            await stop.CancelAsync();
            Assert.Equal(SimulatorOutcome.Cancelled, (await gnssRun.WaitAsync(Timeout)).Outcome);
        }

        var result = await new GatewaySimulator(options).RunAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        await subscriber.Received.WaitUntilAsync(m => Assertions.SealEventCount(m) >= 30 && m.Any(x => x.IsStatus && Messages.Status(x).State == StatusMessage.Offline), Timeout, "30 seal events and the offline status");
        var received = subscriber.Received.Snapshot();
        Assert.All(received, m =>
        {
            Assert.Equal(TestGateway.GatewayId, Messages.Decode(m).KeyId);
            Assert.True(Messages.Verifies(m, _gateway.PublicKey), $"{m.Topic} verifies with the gateway's public key");
        });
        Assert.Contains(received, m => m.IsStatus && Messages.Status(m).State == StatusMessage.Online);

        var events = Messages.SealEvents(received);
        Assert.Equal(TestGateway.Codes(30), events.Select(e => e.Tag));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(events, e =>
        {
            Assert.True(Guid.TryParse(e.EventId, out var id) && id.Version == 7, $"{e.EventId} is a UUIDv7");
            Assert.Matches("^04[0-9A-F]{12}$", e.NfcUid);
            Assert.Equal("line-1", e.Line);
        });

        var gnss = received.Where(m => m.IsGnss).Select(Messages.Gnss).ToList();
        Assert.True(gnss.Count >= 5, $"{gnss.Count} gnss messages");
        foreach (var message in gnss)
        {
            var sentences = NmeaCheck.Sentences(message.Nmea);
            Assert.All(sentences, s => Assert.True(NmeaCheck.HasValidChecksum(s), s));
            var beiDouGsa = sentences.Where(s => NmeaCheck.Address(s) == "GNGSA").Select(NmeaCheck.Fields).Where(f => f[17] == "4").ToList();
            Assert.NotEmpty(beiDouGsa);
            Assert.InRange(beiDouGsa.SelectMany(f => f[2..14]).Count(p => p.Length > 0), 4, 10);
            Assert.Contains(sentences, s => NmeaCheck.Address(s) == "GBGSV");
            Assert.Contains(sentences, s => NmeaCheck.Address(s) == "GPGSV");
            var (lat, lon) = NmeaCheck.GgaPosition(sentences[0]);
            Assert.InRange(NmeaCheck.Haversine(TestGateway.Latitude, TestGateway.Longitude, lat, lon), 0, 10);
        }
    }

    [Fact]
    public async Task The_executable_with_count_200_and_batch_10_gets_200_distinct_events_acknowledged_and_recorded()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await Subscriber.ConnectAsync(broker.Port);
        var keyFile = Path.Combine(_gateway.Directory, "gateway.pem");
        File.WriteAllText(keyFile, Core.Signing.GatewayKeys.ExportPrivateKeyPem(_gateway.Key));
        var codesFile = Path.Combine(_gateway.Directory, "codes.csv");
        File.WriteAllLines(codesFile, ["gtin,serial,url", .. TestGateway.Codes(250).Select((u, i) => $"09506000134352,T{i + 1:D6},{u}")]);

        var start = new ProcessStartInfo("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "firmware-sim.dll"),
            "--key", keyFile, "--codes", codesFile, "--count", "200", "--batch", "10", "--rate", "0", "--ack", "broker",
            "--port", broker.Port.ToString(CultureInfo.InvariantCulture), "--site", TestGateway.SiteId, "--gateway", TestGateway.GatewayId,
            "--acked", _gateway.AckedFile, "--queue", _gateway.QueueDirectory, "--progress", "1s"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Timeout);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        var acked = _gateway.AckedIds();
        Assert.Equal(200, acked.Count);
        Assert.Equal(200, acked.Distinct().Count());
        await subscriber.Received.WaitUntilAsync(m => Assertions.SealEventCount(m) >= 200, Timeout, "200 seal events");
        var received = subscriber.Received.Snapshot();
        var events = Messages.SealEvents(received);
        Assert.Equal(20, received.Count(m => m.IsSeal));
        Assert.Equal(acked.Order(), events.Select(e => e.EventId).Order());
        Assert.Equal(TestGateway.Codes(200), events.Select(e => e.Tag));
    }

    [Fact]
    public async Task Messages_queued_while_mosquitto_is_down_arrive_in_order_after_it_comes_back()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (await Subscriber.ConnectAsync(broker.Port, "sf-subscriber", persistentSession: true))
        {
            // The persistent session keeps the subscription (and queues for it) across the broker restart.
        }

        await broker.StopAsync();
        var simulator = new GatewaySimulator(_gateway.Options(broker.Port, codes: 100) with { Rate = 2000 });
        var run = simulator.RunAsync(CancellationToken.None);
        await simulator.WhenAsync(c => c.SealsQueued == 100 && c.ConnectFailures >= 1, Timeout, "100 seals queued while the broker is down");
        Assert.Equal(0, simulator.Counters.MessagesAcked);

        await broker.StartAsync();
        await using var subscriber = await Subscriber.ConnectAsync(broker.Port, "sf-subscriber", persistentSession: true);
        var result = await run.WaitAsync(Timeout);

        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        await subscriber.Received.WaitUntilAsync(m => Assertions.SealEventCount(m) >= 100, Timeout, "100 seal events");
        var events = Messages.SealEvents(subscriber.Received.Snapshot());
        Assert.Equal(100, events.Count);
        Assertions.StrictlyIncreasingSequence(events);
        Assert.Equal(_gateway.AckedIds().Order(), events.Select(e => e.EventId).Order());
    }
}
