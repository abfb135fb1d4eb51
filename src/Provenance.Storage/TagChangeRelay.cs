using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Provenance.Storage;

/// <summary>
/// Carries <see cref="TagChangeFeed"/> between the processes sharing a PostgreSQL database, so a recall, void, opening,
/// shipment or receipt committed by one instance drops the bottle from every other instance's scan read model within
/// moments, not after <c>ScanReadModel:MaxAge</c>. Each change this process commits is sent with <c>pg_notify</c> on
/// channel <see cref="Channel"/> (bottles as <c>gtin/serial</c> lines, or <c>*</c> for all, after the sender's id);
/// every process <c>LISTEN</c>s on a connection of its own and raises what others sent. After losing that connection it
/// may have missed notifications, so it raises "all" once it listens again. Nothing on SQLite (one process per file).
/// </summary>
public sealed partial class TagChangeRelay : IDisposable
{
    public const string Channel = "provenance_tags";

    // pg_notify takes at most 8000 bytes; a change naming more bottles than fit in a few notifications says "all".
    private const int MaxPayloadBytes = 7900;
    private const int MaxNotificationsPerChange = 8;

    private readonly ProvenanceDatabase _database;
    private readonly ILogger _logger;
    private readonly string _sender = Guid.NewGuid().ToString("N");
    private readonly Channel<TagsChangedEventArgs> _outgoing = System.Threading.Channels.Channel.CreateBounded<TagsChangedEventArgs>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private int _overflowed;
    private long _received;

    public TagChangeRelay(ProvenanceDatabase database, ILogger<TagChangeRelay> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _logger = logger;
        if (database.Provider == StorageProvider.Postgres)
        {
            database.TagChanges.Committed += OnCommitted;
        }
    }

    /// <summary>Notifications received from other processes (for tests and <c>/health</c>).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Listens and sends until <paramref name="stoppingToken"/> fires, reconnecting after a lost connection.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_database.Provider != StorageProvider.Postgres)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever went wrong, a relay that stops would leave other instances' changes unseen until MaxAge: start again.
                LogLost(e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public void Dispose() => _database.TagChanges.Committed -= OnCommitted;

    /// <summary>The notification payloads for <paramref name="change"/>: the sender, a newline, then the bottles (or <c>*</c>).</summary>
    internal static IReadOnlyList<string> Payloads(string sender, TagsChangedEventArgs change)
    {
        if (change.All)
        {
            return [$"{sender}\n*"];
        }

        var payloads = new List<string>();
        var current = new StringBuilder(sender);
        foreach (var tag in change.Tags)
        {
            var line = $"\n{tag.Gtin}/{tag.Serial}";
            if (Encoding.UTF8.GetByteCount(current.ToString()) + Encoding.UTF8.GetByteCount(line) > MaxPayloadBytes)
            {
                payloads.Add(current.ToString());
                if (payloads.Count == MaxNotificationsPerChange)
                {
                    return [$"{sender}\n*"];
                }

                current.Clear().Append(sender);
            }

            current.Append(line);
        }

        payloads.Add(current.ToString());
        return payloads;
    }

    /// <summary>Reads a payload: null when this process sent it, else the change it names.</summary>
    internal static TagsChangedEventArgs? Parse(string sender, string payload)
    {
        var lines = payload.Split('\n');
        if (lines.Length < 2 || lines[0] == sender)
        {
            return null;
        }

        if (lines[1] == "*")
        {
            return new TagsChangedEventArgs([], All: true);
        }

        var tags = new List<TagKey>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                tags.Add(new TagKey(line[..slash], line[(slash + 1)..]));
            }
        }

        return new TagsChangedEventArgs(tags, All: false);
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = (NpgsqlConnection)_database.Connect();
        connection.Notification += OnNotification;
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        // Whatever others committed while this process was not listening is unknown: drop every cached bottle once.
        _database.TagChanges.Receive(new TagsChangedEventArgs([], All: true));
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        notify.Parameters.AddWithValue("channel", Channel);
        var payload = notify.Parameters.Add("payload", NpgsqlTypes.NpgsqlDbType.Text);
        while (!stoppingToken.IsCancellationRequested)
        {
            while (_outgoing.Reader.TryRead(out var change))
            {
                foreach (var text in Payloads(_sender, change))
                {
                    payload.Value = text;
                    await notify.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
            }

            if (Interlocked.Exchange(ref _overflowed, 0) == 1)
            {
                payload.Value = $"{_sender}\n*";
                await notify.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }

            // Wakes for a notification, or every 100 ms to send what this process committed meanwhile.
            await connection.WaitAsync(TimeSpan.FromMilliseconds(100), stoppingToken).ConfigureAwait(false);
        }
    }

    private void OnCommitted(object? sender, TagsChangedEventArgs change)
    {
        if (!_outgoing.Writer.TryWrite(change))
        {
            Interlocked.Exchange(ref _overflowed, 1);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == Channel && Parse(_sender, e.Payload) is { } change)
        {
            Interlocked.Increment(ref _received);
            _database.TagChanges.Receive(change);
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Lost the connection that carries bottle changes between instances; listening again in a second (cached bottles are dropped then)")]
    private partial void LogLost(Exception exception);
}
