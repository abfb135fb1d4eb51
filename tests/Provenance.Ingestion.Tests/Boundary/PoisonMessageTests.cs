using MQTTnet;
using Provenance.Core.Codes;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>
/// A message that cannot be stored (here: the database refuses one of its seals, through a trigger) is acknowledged
/// and kept as an <c>unprocessable</c> dead letter on its own, and every other message of its group commit is stored.
/// </summary>
public sealed class PoisonMessageTests
{
    [Fact]
    public async Task A_message_the_database_refuses_is_dead_lettered_alone_and_the_rest_of_its_batch_commits()
    {
        await using var rig = await BrokerRig.StartAsync();
        var poisoned = rig.Issue(1)[0];
        var serial = DigitalLink.Parse(poisoned).Serial;
        Execute(rig, rig.Database.Provider == Provenance.Storage.StorageProvider.Postgres
            ? $"CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.serial = '{serial}' THEN RAISE EXCEPTION 'poisoned seal'; END IF; RETURN NEW; END $$; " +
              "CREATE TRIGGER poison BEFORE INSERT ON seals FOR EACH ROW EXECUTE FUNCTION poison();"
            : $"CREATE TRIGGER poison BEFORE INSERT ON seals WHEN NEW.serial = '{serial}' BEGIN SELECT RAISE(ABORT, 'poisoned seal'); END;");
        var gateways = Enumerable.Range(0, 8).Select(i => rig.AddGateway($"gw-batch-{i}")).ToList();
        var clients = await Task.WhenAll(gateways.Select(rig.ConnectAsync));
        var good = gateways.Select(g => rig.GoodSeal(g, 5)).ToList();
        var poison = rig.SealOf(gateways[0], [BrokerRig.Event(poisoned)]);

        // All at once, so that they share group commits with the poison message.
        var results = await Task.WhenAll(
            clients.Select((c, i) => BrokerRig.PublishAsync(c, good[i].Topic, good[i].Payload))
                .Append(BrokerRig.PublishAsync(clients[0], poison.Topic, poison.Payload)));

        Assert.All(results, r => Assert.Equal(MqttClientPublishReasonCode.Success, r.ReasonCode));
        Assert.All(good.SelectMany(g => g.Events), e => Assert.True(rig.Seals.ContainsEvent(e.EventId), $"event {e.EventId} was not stored"));
        Assert.False(rig.Seals.ContainsEvent(poison.Events[0].EventId));
        var letter = Assert.Single(rig.DeadLetters.List("unprocessable"));
        Assert.Contains("poisoned seal", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(poison.Payload, letter.Payload);
        Assert.Contains(rig.Log.Entries, e => e.Event.Id == 1100);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static void Execute(BrokerRig rig, string sql)
    {
        using var c = rig.Database.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
