using System.Text;
using Provenance.Core.Gateways;
using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim.Tests;

public sealed class FileMessageQueueTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwsim-queue-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static QueuedMessage Message(int i) => new()
    {
        Topic = "prov/v1/s/g/seal",
        Kind = GatewayMessageKind.Seal,
        Payload = Encoding.ASCII.GetBytes($"payload-{i}-" + new string('x', 100)),
        EventIds = [$"id-{i}-a", $"id-{i}-b"],
        LastSequence = i * 2,
        CodesConsumed = i * 2,
    };

    [Fact]
    public async Task Messages_come_back_in_order_across_segments_and_reopening_resumes_after_the_acknowledged_ones()
    {
        using (var queue = FileMessageQueue.Open(_directory, segmentBytes: 600))
        {
            for (var i = 1; i <= 20; i++)
            {
                Assert.Equal(i - 1, queue.Append(Message(i)));
            }

            for (var i = 1; i <= 7; i++)
            {
                var (index, message) = await queue.PeekAsync(CancellationToken.None);
                Assert.Equal(i - 1, index);
                Assert.Equal([$"id-{i}-a", $"id-{i}-b"], message.EventIds);
                queue.Acknowledge(index);
            }
        }

        Assert.True(Directory.GetFiles(_directory, "*.seg").Length < 20 / 4, "acknowledged segments are deleted");
        using (var reopened = FileMessageQueue.Open(_directory, segmentBytes: 600))
        {
            Assert.Equal(7, reopened.AcknowledgedCount);
            Assert.Equal(20, reopened.AppendedCount);
            Assert.Equal(40, reopened.LastSequence);
            var (index, message) = await reopened.PeekAsync(CancellationToken.None);
            Assert.Equal(7, index);
            Assert.Equal(Encoding.ASCII.GetBytes("payload-8-" + new string('x', 100)), message.Payload);
        }
    }

    [Fact]
    public void A_torn_record_at_the_tail_is_cut_off_on_open()
    {
        using (var queue = FileMessageQueue.Open(_directory))
        {
            queue.Append(Message(1));
            queue.Append(Message(2));
        }

        var segment = Directory.GetFiles(_directory, "*.seg").Single();
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - 5);
        }

        using var reopened = FileMessageQueue.Open(_directory);
        Assert.Equal(1, reopened.AppendedCount);
        Assert.Equal(1, reopened.Append(Message(3)));
    }

    [Fact]
    public void Only_one_simulator_may_hold_a_queue_directory()
    {
        using var first = FileMessageQueue.Open(_directory);
        var error = Assert.Throws<IOException>(() => FileMessageQueue.Open(_directory));
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sequence_survives_even_when_every_segment_holding_it_was_deleted()
    {
        using (var queue = FileMessageQueue.Open(_directory, segmentBytes: 100))
        {
            queue.Append(Message(1));
            queue.Append(Message(2));
            queue.Append(new QueuedMessage { Topic = "prov/v1/s/g/gnss", Kind = GatewayMessageKind.Gnss, Payload = [1] });
            for (var i = 0; i < 3; i++)
            {
                var (index, _) = await queue.PeekAsync(CancellationToken.None);
                queue.Acknowledge(index);
            }
        }

        using var reopened = FileMessageQueue.Open(_directory, segmentBytes: 100);
        Assert.Equal(4, reopened.LastSequence);
        Assert.Equal(4, reopened.CodesConsumed);
        Assert.Equal(0, reopened.Backlog);
    }
}
