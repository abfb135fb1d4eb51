using System.Text;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class ChaincodeEventsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fabric-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Events_from_a_start_block_arrive_in_order_with_their_blocks_and_transactions()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var ids = await PutAsync(env, "a", "b", "c");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var events = await TakeAsync(env.Network.ChaincodeEventsAsync(FakeGatewayPeer.ChaincodeName, new ChaincodeEventsOptions { StartBlock = 2 }, cts.Token), 2);

        Assert.Equal(ids[1..], events.Select(e => e.TransactionId));
        Assert.Equal([2UL, 3UL], events.Select(e => e.BlockNumber));
        Assert.All(events, e => Assert.Equal(("kv", "put"), (e.ChaincodeName, e.EventName)));
        Assert.Equal(["b", "c"], events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
    }

    [Fact]
    public async Task Without_a_start_the_stream_delivers_only_transactions_committed_after_it_started()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        await PutAsync(env, "before");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = TakeAsync(env.Network.ChaincodeEventsAsync(FakeGatewayPeer.ChaincodeName, cancellationToken: cts.Token), 1);
        await WaitUntilAsync(() => !env.Peer.EventRequests.IsEmpty, cts.Token);

        var ids = await PutAsync(env, "after");
        var events = await reading;

        Assert.Equal(ids, events.Select(e => e.TransactionId));
    }

    [Fact]
    public async Task A_FileCheckpointer_resumes_exactly_after_the_last_processed_event()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var ids = await PutAsync(env, "a", "b", "c", "d");
        var path = Path.Combine(_directory, "events.json");

        using (var checkpointer = await FileCheckpointer.OpenAsync(path))
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var processed = 0;
            await foreach (var e in env.Network.ChaincodeEventsAsync(
                FakeGatewayPeer.ChaincodeName, new ChaincodeEventsOptions { StartBlock = 0, Checkpoint = checkpointer }, cts.Token))
            {
                await checkpointer.CheckpointChaincodeEventAsync(e, cts.Token);
                if (++processed == 2)
                {
                    break;
                }
            }
        }

        using var reopened = await FileCheckpointer.OpenAsync(path);
        using var cts2 = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var resumed = await TakeAsync(env.Network.ChaincodeEventsAsync(
            FakeGatewayPeer.ChaincodeName, new ChaincodeEventsOptions { StartBlock = 0, Checkpoint = reopened }, cts2.Token), 2);

        Assert.Equal((2UL, ids[1]), (reopened.BlockNumber, reopened.TransactionId));
        Assert.Equal(ids[2..], resumed.Select(e => e.TransactionId));
        var last = env.Peer.EventRequests.Last();
        Assert.Equal((2UL, ids[1]), (last.StartPosition.Specified.Number, last.AfterTransactionId));
        Assert.Equal($$"""{"blockNumber":2,"transactionId":"{{ids[1]}}"}""", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Checkpointing_a_block_resumes_at_the_next_block()
    {
        var path = Path.Combine(_directory, "block.json");
        using (var checkpointer = await FileCheckpointer.OpenAsync(path))
        {
            await checkpointer.CheckpointBlockAsync(7);
        }

        using var reopened = await FileCheckpointer.OpenAsync(path);

        Assert.Equal(8UL, reopened.BlockNumber);
        Assert.Null(reopened.TransactionId);
    }

    [Fact]
    public async Task A_corrupt_checkpoint_file_is_refused_with_its_path()
    {
        var path = Path.Combine(_directory, "corrupt.json");
        await File.WriteAllTextAsync(path, "{not json");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FileCheckpointer.OpenAsync(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static async Task<string[]> PutAsync(FabricTestEnvironment env, params string[] keys)
    {
        var ids = new List<string>();
        foreach (var key in keys)
        {
            var submitted = await env.Contract.SubmitAsyncNoWait("put", ProposalOptions.WithArguments(key, "v"));
            Assert.True((await submitted.GetStatusAsync()).Successful);
            ids.Add(submitted.TransactionId);
        }

        return [.. ids];
    }

    private static async Task<List<ChaincodeEvent>> TakeAsync(IAsyncEnumerable<ChaincodeEvent> events, int count)
    {
        var result = new List<ChaincodeEvent>();
        await foreach (var e in events)
        {
            result.Add(e);
            if (result.Count == count)
            {
                break;
            }
        }

        return result;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}
