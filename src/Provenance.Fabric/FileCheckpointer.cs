using System.Text.Json;

namespace Provenance.Fabric;

/// <summary>
/// A checkpoint persisted to a JSON file (<c>{"blockNumber":n,"transactionId":"…"}</c>, as fabric-gateway writes it),
/// so an event reader resumes exactly after the last event it processed. Each update is atomic: written to a
/// temporary file, flushed to disk, then renamed over the checkpoint. Thread-safe; one process per file.
/// </summary>
public sealed class FileCheckpointer : ICheckpoint, IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    // What was last written; the file is only ever ahead of it while a write is under way.
    private readonly InMemoryCheckpointer _written = new();

    private FileCheckpointer(string path, ulong blockNumber, string? transactionId)
    {
        Path = path;
        _written.CheckpointTransaction(blockNumber, transactionId);
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ulong BlockNumber => _written.BlockNumber;

    /// <inheritdoc />
    public string? TransactionId => _written.TransactionId;

    /// <summary>Opens the checkpoint file, or starts an empty checkpoint if it does not exist.</summary>
    public static async Task<FileCheckpointer> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            return new FileCheckpointer(fullPath, 0, null);
        }

        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return new FileCheckpointer(fullPath, 0, null);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var block = root.TryGetProperty("blockNumber", out var b) ? b.GetUInt64() : 0;
            var transactionId = root.TryGetProperty("transactionId", out var t) ? t.GetString() : null;
            return new FileCheckpointer(fullPath, block, string.IsNullOrEmpty(transactionId) ? null : transactionId);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The checkpoint file '{fullPath}' is not a valid checkpoint: {ex.Message}", ex);
        }
    }

    /// <summary>Records a whole block as processed: resume at the next block.</summary>
    public Task CheckpointBlockAsync(ulong blockNumber, CancellationToken cancellationToken = default) =>
        CheckpointTransactionAsync(blockNumber + 1, null, cancellationToken);

    /// <summary>Records an event as processed: resume after its transaction.</summary>
    public Task CheckpointChaincodeEventAsync(ChaincodeEvent chaincodeEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chaincodeEvent);
        return CheckpointTransactionAsync(chaincodeEvent.BlockNumber, chaincodeEvent.TransactionId, cancellationToken);
    }

    /// <summary>Records a transaction as processed: resume after it.</summary>
    public async Task CheckpointTransactionAsync(ulong blockNumber, string? transactionId, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var temporary = Path + ".tmp";
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new Utf8JsonWriter(stream);
                await using (writer.ConfigureAwait(false))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("blockNumber", blockNumber);
                    writer.WriteString("transactionId", transactionId ?? string.Empty);
                    writer.WriteEndObject();
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
            _written.CheckpointTransaction(blockNumber, transactionId);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writeGate.Dispose();
}
