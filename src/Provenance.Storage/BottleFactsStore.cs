using System.Data;
using System.Data.Common;
using System.Collections.Concurrent;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Reads a bottle's verdict facts (<see cref="BottleFacts"/>) in one SQL statement on one connection: the registry
/// row, seal, tag events, shipment and recent scans come back as rows of one <c>UNION ALL</c>, told apart by their first
/// column, each part an index lookup. The same facts <see cref="TagStore.Find"/>, <see cref="SealStore.FindByTag"/>,
/// <see cref="TagEventStore.For"/>, <see cref="ShipmentStore.FindForTag"/> and <see cref="ScanStore.History"/> read in
/// five. Keeps a few connections open with the statement prepared (closed on <see cref="Dispose"/>). Thread-safe.
/// </summary>
public sealed class BottleFactsStore(ProvenanceDatabase database) : IDisposable
{
    // Readers kept open with the statement prepared: a scan neither prepares SQL nor re-runs the connection pragmas.
    private readonly ConcurrentBag<Reader> _readers = [];
    private readonly ConcurrentBag<Reader> _replicaReaders = [];
    private readonly int _maxIdleReaders = (2 * Environment.ProcessorCount) + 2;
    private bool _disposed;

    // Every part has 15 columns: the part's name, then its own columns padded with NULLs. SQLite reads them as one
    // UNION ALL; PostgreSQL, which wants one type per column across a union, as one batch of five result sets.
    internal static readonly string Query = string.Join(" UNION ALL ", Parts(postgres: false));

    internal static readonly string PostgresQuery = string.Join("; ", Parts(postgres: true));

    private static string[] Parts(bool postgres) =>
    [
        "SELECT 'tag', t.lot, t.batch_id, t.status, p.name, p.brand, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM tags t LEFT JOIN products p ON p.gtin = t.gtin WHERE t.gtin = @g AND t.serial = @s",
        "SELECT 'seal', " + SealStore.SealColumns + " FROM " + SealStore.SealJoins + " WHERE s.gtin = @g AND s.serial = @s",
        TagEventStore.EarliestCoveringEvents("(SELECT lot FROM tags WHERE gtin = @g AND serial = @s)", "'event', ", ", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL", postgres),
        "SELECT 'shipment', s.id, s.distributor_id, s.region_json, s.tag_count, s.created_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE t.gtin = @g AND t.serial = @s",
        "SELECT 'scan', scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM (SELECT scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m FROM scans WHERE gtin = @g AND serial = @s ORDER BY scanned_at DESC LIMIT @n) AS recent",
    ];

    /// <summary>
    /// The bottle's facts with at most <paramref name="historyLimit"/> of its most recent scans, from the primary or, with
    /// <paramref name="fromReplica"/>, from the read replica (<see cref="ReadReplica"/> says when that is allowed).
    /// </summary>
    public BottleFacts Find(string gtin, string serial, int historyLimit = 200, bool fromReplica = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var readers = fromReplica ? _replicaReaders : _readers;
        var reader = readers.TryTake(out var idle) ? idle : new Reader(fromReplica ? database.ConnectReplica() : database.Connect());
        var healthy = false;
        try
        {
            var facts = Read(reader.Bind(gtin, serial, historyLimit), gtin, serial);
            healthy = true;
            return facts;
        }
        finally
        {
            // A reader whose statement failed may hold a broken connection (a server restart, a failover): never reuse it.
            if (healthy && readers.Count < _maxIdleReaders && !_disposed)
            {
                readers.Add(reader);
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var readers in (ConcurrentBag<Reader>[])[_readers, _replicaReaders])
        {
            while (readers.TryTake(out var reader))
            {
                reader.Dispose();
            }
        }
    }

    private static BottleFacts Read(DbCommand cmd, string gtin, string serial)
    {
        using var r = cmd.ExecuteReader();
        IssuedTag? tag = null;
        StoredSeal? seal = null;
        StoredShipment? shipment = null;
        var events = new List<TagEvent>();
        var history = new List<ScanRecord>();
        do
        {
            while (r.Read())
            {
                ReadRow(r, gtin, serial, ref tag, ref seal, ref shipment, events, history);
            }
        }
        while (r.NextResult());

        events.Sort((a, b) => a.At.CompareTo(b.At));
        history.Sort((a, b) => a.ScannedAt.CompareTo(b.ScannedAt));
        return new BottleFacts(tag, seal, events, shipment, history);
    }

    private static void ReadRow(DbDataReader r, string gtin, string serial, ref IssuedTag? tag, ref StoredSeal? seal, ref StoredShipment? shipment, List<TagEvent> events, List<ScanRecord> history)
    {
        {
            switch (r.GetString(0))
            {
                case "tag":
                    tag = new IssuedTag(gtin, serial, r.NullableString(1), r.GetInt64(2), r.GetString(3), r.NullableString(4), r.NullableString(5));
                    break;
                case "seal":
                    seal = SealStore.ReadSeal(r, 1);
                    break;
                case "event":
                    events.Add(new TagEvent(r.GetString(1), gtin, r.NullableString(2), r.NullableString(3), Sql.ParseTimestamp(r.GetString(4)), r.NullableString(5), r.NullableString(6)));
                    break;
                case "shipment":
                    shipment = new StoredShipment(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), Sql.ParseTimestamp(r.GetString(5)));
                    break;
                default:
                    history.Add(new ScanRecord(gtin, serial, Sql.ParseTimestamp(r.GetString(1)), r.GetString(2), r.NullableDouble(3), r.NullableDouble(4), r.NullableString(5), r.NullableString(6), r.NullableString(7), r.NullableDouble(8)));
                    break;
            }
        }
    }

    /// <summary>One open connection with the statement prepared on it.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _command;
        private readonly DbParameter _gtin;
        private readonly DbParameter _serial;
        private readonly DbParameter _limit;

        public Reader(DbConnection connection)
        {
            _connection = connection;
            _command = connection.Command(connection.IsPostgres() ? PostgresQuery : Query);
            _gtin = _command.Parameter("@g", DbType.String);
            _serial = _command.Parameter("@s", DbType.String);
            _limit = _command.Parameter("@n", DbType.Int64);
            _command.Prepare();
        }

        public DbCommand Bind(string gtin, string serial, int limit)
        {
            _gtin.Value = gtin;
            _serial.Value = serial;
            _limit.Value = limit;
            return _command;
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}
