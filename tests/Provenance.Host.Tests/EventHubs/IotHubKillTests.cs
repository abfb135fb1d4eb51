using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Provenance.Core.Gateways;
using Provenance.Host.Tests.Support;
using Provenance.Ingestion.Tests.EventHubs.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.EventHubs;

/// <summary>
/// The Event Hubs source's durability promise on a whole node (<c>provenance serve</c> as a child process, the real
/// Azure.Messaging.EventHubs client inside it, the loopback AMQP server standing in for IoT Hub): the node is killed
/// with SIGKILL while it holds events it received and had not committed; after a restart every event is stored exactly
/// once and the readers resumed right after their committed checkpoints.
/// </summary>
// Reads the checkpoints and seals from the SQLite file while the node is down.
[Trait("Storage", TestStorage.SqliteOnly)]
public sealed class IotHubKillTests(ITestOutputHelper output)
{
    private const int Events = 600;
    private const string ConsumerGroup = "provenance";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] PartitionIds = ["0", "1"];

    [Fact]
    public async Task Killing_the_node_between_receiving_iot_hub_events_and_committing_them_loses_and_repeats_none()
    {
        using var hub = new EventHubsTestServer(partitionCount: 2);
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(Events);
        using (var key = Simulation.LoadKey(gateway))
        {
            for (var i = 0; i < Events; i++)
            {
                hub.Send(PartitionIds[i % 2], new HubEvent(gateway.GatewayId, new Dictionary<string, string> { ["kind"] = "seal" }, Seal(gateway, key, urls[i], i)));
            }
        }

        var caFile = Path.Combine(node.WorkDirectory, "hub-ca.pem");
        await File.WriteAllTextAsync(caFile, hub.CaPem);
        string[] source =
        [
            $"--EventHubs:ConnectionString={hub.ConnectionString()}", $"--EventHubs:ConsumerGroup={ConsumerGroup}",
            $"--EventHubs:CustomEndpointAddress={hub.EndpointAddress}", $"--EventHubs:TrustedCaPath={caFile}", "--EventHubs:MaxWait=00:00:00.200",
        ];

        await node.StartAsync(source);
        await WaitForDatabaseAsync(node, db => Checkpoints(db).Values.Sum(c => c + 1) >= 20);
        node.Host!.Kill();

        var committed = Query(node, Checkpoints);
        var delivered = PartitionIds.ToDictionary(p => p, hub.HighestDelivered);
        output.WriteLine($"killed with checkpoints {Describe(committed)}, events sent to the node up to {Describe(delivered)}");
        Assert.Contains(PartitionIds, p => delivered[p] > committed.GetValueOrDefault(p, -1));
        Assert.Equal(committed.Values.Sum(c => c + 1), Query(node, SealCount));

        var linksBefore = hub.Links.Count;
        await node.StartAsync(source);
        await WaitForDatabaseAsync(node, db => SealCount(db) == Events);

        var resumed = hub.Links.Skip(linksBefore).GroupBy(l => l.Partition).ToDictionary(g => g.Key, g => g.First().Filter.Expression);
        foreach (var partition in PartitionIds)
        {
            var expected = committed.TryGetValue(partition, out var at) ? $"amqp.annotation.x-opt-sequence-number > {at}" : "amqp.annotation.x-opt-offset > -1";
            Assert.Equal(expected, resumed[partition]);
        }

        Assert.Equal(Events, Query(node, db => Scalar(db, "SELECT COUNT(DISTINCT event_id) FROM seals")));
        Assert.Equal(0, Query(node, db => Scalar(db, "SELECT COUNT(*) FROM dead_letters")));
        Assert.Equal(PartitionIds.ToDictionary(p => p, _ => (long)(Events / 2) - 1), Query(node, Checkpoints));
        Assert.Equal(0, (await node.HealthAsync()).GetProperty("ingestion").GetProperty("duplicates").GetInt64());
        Assert.Contains(node.Host!.Lines, l => l.Contains("EventHubsSource[5500]", StringComparison.Ordinal));
        Assert.DoesNotContain(node.Host.Lines, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
    }

    private static byte[] Seal(GatewayCredentials gateway, ECDsa key, string tag, int sequence)
    {
        var at = DateTimeOffset.UtcNow;
        var message = new SealMessage
        {
            SiteId = gateway.SiteId,
            GatewayId = gateway.GatewayId,
            SentAt = at,
            Events = [new SealEvent { EventId = $"{gateway.GatewayId}-eh-{sequence:D5}", Tag = tag, Line = "line-1", SealedAt = at, SealType = "capsule", Sequence = sequence }],
        };
        return Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(message, key));
    }

    /// <summary>Waits until the node's database shows <paramref name="condition"/>; the node reports nothing finer to wait on.</summary>
    private static async Task WaitForDatabaseAsync(ProvenanceNode node, Func<SqliteConnection, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!Query(node, condition))
        {
            Assert.False(node.Host!.HasExited, $"provenance serve exited:\n{node.Host.Output}");
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the node's database did not reach the expected state within {Timeout}; output:\n{node.Host.Output}");
            }
        }
    }

    private static T Query<T>(ProvenanceNode node, Func<SqliteConnection, T> query)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(node.DataDirectory, "provenance.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return query(connection);
    }

    private static Dictionary<string, long> Checkpoints(SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT partition_id, sequence_number FROM source_checkpoints WHERE source LIKE 'eventhubs:%'";
        using var reader = command.ExecuteReader();
        var checkpoints = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            checkpoints[reader.GetString(0)] = reader.GetInt64(1);
        }

        return checkpoints;
    }

    private static long SealCount(SqliteConnection db) => Scalar(db, "SELECT COUNT(*) FROM seals");

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Describe(IReadOnlyDictionary<string, long> positions) =>
        string.Join(", ", positions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}"));
}
