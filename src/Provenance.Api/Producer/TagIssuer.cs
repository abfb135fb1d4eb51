using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Provenance.Api.Epcis;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Core.Qr;
using Provenance.Storage;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Producer;

/// <summary>
/// Issues a batch of tags: random serials, MAC-signed Digital Link URLs, registered in chunks, and streamed to disk as
/// a printer CSV (header row, <c>url</c> column first, in issue order) plus one PNG and one SVG QR per code. QR codes
/// are rendered and written by one worker per core, fed through a bounded queue, so memory stays bounded whatever
/// the count while registration of the next chunk overlaps rendering. Each chunk is registered with its EPCIS
/// commissioning event (ObjectEvent ADD) in the same transaction. With <see cref="TagIssueRequest.Inner"/>, each bottle's
/// inner (under-cap) code goes to its own CSV (<c>batch-{id}-inner.csv</c>, same columns and order) and its own QR images
/// (under <c>inner/</c>), so the two printers get separate files. Thread-safe.
/// </summary>
public sealed class TagIssuer(TagStore tags, RegistryStore registry, CodeAuthenticator codes, LifecycleEvents epcis, InnerCodeAuthenticator? innerCodes = null, TimeProvider? time = null)
{
    public const int ChunkSize = 5_000;

    /// <summary>The folder, inside the output directory, of the inner codes' QR images (for the under-cap printer).</summary>
    public const string InnerDirectory = "inner";

    /// <summary>Codes waiting for a render worker at most (a few KB each).</summary>
    private const int RenderQueueLength = 1_024;

    public async Task<IssuedBatch> IssueAsync(TagIssueRequest request, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gtin = Gtin.Parse(request.Gtin);
        if (registry.FindProduct(gtin.Value) is null)
        {
            throw new RegistryConflictException($"product {gtin.Value} is not registered; add it first with 'provenance products add'");
        }

        if (request.Count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "count must be positive");
        }

        if (request.Lot is not null && (request.Lot.Length is 0 or > 20 || !Cset82.IsValid(request.Lot)))
        {
            throw new ArgumentException($"lot '{request.Lot}' must be 1-20 characters of GS1 CSET 82", nameof(request));
        }

        if (request.Inner && innerCodes is null)
        {
            throw new ArgumentException("inner codes need the inner-code authenticator", nameof(request));
        }

        var innerDirectory = request.OutputDirectory is null || !request.Inner ? null : Path.Combine(request.OutputDirectory, InnerDirectory);
        if (request.OutputDirectory is not null)
        {
            Directory.CreateDirectory(request.OutputDirectory);
            if (innerDirectory is not null && request.Images)
            {
                Directory.CreateDirectory(innerDirectory);
            }
        }

        var batchId = tags.CreateBatch(gtin.Value, request.Lot, request.Count);
        var csvPath = request.OutputDirectory is null ? null : Path.Combine(request.OutputDirectory, $"batch-{batchId}.csv");
        await using var csv = csvPath is null ? null : new StreamWriter(csvPath, false, new UTF8Encoding(false), 1 << 16);
        var innerCsvPath = innerDirectory is null ? null : Path.Combine(request.OutputDirectory!, $"batch-{batchId}-inner.csv");
        await using var innerCsv = innerCsvPath is null ? null : new StreamWriter(innerCsvPath, false, new UTF8Encoding(false), 1 << 16);
        foreach (var writer in new[] { csv, innerCsv })
        {
            if (writer is not null)
            {
                await writer.WriteLineAsync(PrinterCsv.Header).ConfigureAwait(false);
            }
        }

        var issued = 0;
        var firstUrls = new List<string>();
        var serials = new List<string>(ChunkSize);
        var render = request.OutputDirectory is not null && request.Images
            ? Channel.CreateBounded<(string Stem, string Url)>(new BoundedChannelOptions(RenderQueueLength) { SingleWriter = true })
            : null;
        var renderers = render is null ? [] : Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => Task.Run(() => RenderAsync(render, request.Qr, cancellationToken), cancellationToken)).ToArray();
        try
        {
            while (issued < request.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                serials.Clear();
                var n = Math.Min(ChunkSize, request.Count - issued);
                for (var i = 0; i < n; i++)
                {
                    serials.Add(Serial.Generate());
                }

                var commissioning = epcis.Commissioning((time ?? TimeProvider.System).GetUtcNow(), gtin.Value, request.Lot, batchId, serials);
                if (!tags.AddTags(batchId, gtin.Value, request.Lot, serials, EpcisEventRow.FromEvent(commissioning, epcis.Names.Prefixes, EpcisSources.Producer, batchId: batchId)))
                {
                    continue; // a serial collided with an existing one (p ≈ 2^-80 per pair): draw the chunk again
                }

                foreach (var serial in serials)
                {
                    var url = codes.Sign(DigitalLink.ForTag(request.Authority, gtin, serial, request.Lot, request.Scheme));
                    if (firstUrls.Count < 10)
                    {
                        firstUrls.Add(url);
                    }

                    if (csv is not null)
                    {
                        await csv.WriteLineAsync(PrinterCsv.Row(url, gtin.Value, serial, request.Lot)).ConfigureAwait(false);
                    }

                    if (render is not null)
                    {
                        await render.Writer.WriteAsync((Path.Combine(request.OutputDirectory!, $"{gtin.Value}-{serial}"), url), cancellationToken).ConfigureAwait(false);
                    }

                    if (innerCsv is not null)
                    {
                        var innerUrl = innerCodes!.Sign(DigitalLink.ForTag(request.Authority, gtin, serial, request.Lot, request.Scheme));
                        await innerCsv.WriteLineAsync(PrinterCsv.Row(innerUrl, gtin.Value, serial, request.Lot)).ConfigureAwait(false);
                        if (render is not null)
                        {
                            await render.Writer.WriteAsync((Path.Combine(innerDirectory!, $"{gtin.Value}-{serial}"), innerUrl), cancellationToken).ConfigureAwait(false);
                        }
                    }

                    issued++;
                    if (issued % 1000 == 0)
                    {
                        progress?.Report(issued);
                    }
                }
            }
        }
        finally
        {
            render?.Writer.TryComplete();
            await Task.WhenAll(renderers).ConfigureAwait(false);
        }

        progress?.Report(issued);
        return new IssuedBatch(batchId, gtin.Value, request.Lot, issued, csvPath, firstUrls) { InnerCsvPath = innerCsvPath };
    }

    /// <summary>
    /// One render worker: QR matrix once, PNG and SVG from it, both files written, until the queue completes. A failure
    /// (a full disk) closes the queue with it, so the issuing loop stops instead of waiting on a queue nobody drains.
    /// </summary>
    private static async Task RenderAsync(Channel<(string Stem, string Url)> queue, QrOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (stem, url) in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var (png, svg) = QrRenderer.Render(url, options);
                WriteNew(stem + ".png", png);
                var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(svg.Length));
                try
                {
                    WriteNew(stem + ".svg", utf8.AsSpan(0, Encoding.UTF8.GetBytes(svg, utf8)));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(utf8);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            queue.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>
    /// Writes a label file that must not exist yet, in one write. A code's file name is unique in the registry, so an
    /// existing file is someone else's label and is never overwritten; and unlike <see cref="FileMode.Create"/>, which
    /// .NET implements with a truncate, it spares ext4 the flush on close it does after a file is truncated to zero
    /// (auto_da_alloc): that flush was a block write per file.
    /// </summary>
    private static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        RandomAccess.Write(file, bytes, 0);
    }
}
