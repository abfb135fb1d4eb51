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

    /// <summary>How many of a bottle's most recent scans <see cref="Find"/> returns unless told otherwise.</summary>
    public const int DefaultHistoryLimit = 200;

    // Every part has 15 columns: the part's name, then its own columns padded with NULLs. SQLite reads them as one
    // UNION ALL; PostgreSQL, which wants one type per column across a union, as five statements on one connection. Not
    // as one five-statement batch: Npgsql sends a synchronous multi-statement batch from a thread-pool task while the
    // caller blocks reading, so under a burst of scans every pool thread waited for sends that never got a thread.
    internal static readonly string[] PostgresQueries = Parts(postgres: true, "@n");

    // SQLite takes the history limit as a literal: a bound parameter in the LIMIT of a subquery marks the statement
    // expired whenever it is bound, so SQLite compiled the whole statement again on every scan (measured with
    // sqlite3_stmt_status: one re-prepare per execution; the statement took 102 us with it and 36 us without).
    internal static string SqliteQuery(int historyLimit) =>
        string.Join(" UNION ALL ", Parts(postgres: false, historyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static string[] Parts(bool postgres, string limit) =>
    [
        "SELECT 'tag', t.lot, t.batch_id, t.status, p.name, p.brand, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM tags t LEFT JOIN products p ON p.gtin = t.gtin WHERE t.gtin = @g AND t.serial = @s",
        "SELECT 'seal', " + SealStore.SealColumns + " FROM " + SealStore.SealJoins + " WHERE s.gtin = @g AND s.serial = @s",
        TagEventStore.EarliestCoveringEvents("(SELECT lot FROM tags WHERE gtin = @g AND serial = @s)", "'event', ", ", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL", postgres),
        "SELECT 'shipment', s.id, s.distributor_id, s.region_json, s.tag_count, s.created_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE t.gtin = @g AND t.serial = @s",
        "SELECT 'scan', scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM (SELECT scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m FROM scans WHERE gtin = @g AND serial = @s ORDER BY scanned_at DESC LIMIT " + limit + ") AS recent",
    ];

    /// <summary>
    /// The bottle's facts with at most <paramref name="historyLimit"/> of its most recent scans, from the primary or, with
    /// <paramref name="fromReplica"/>, from the read replica (<see cref="ReadReplica"/> says when that is allowed).
    /// Readers for <see cref="DefaultHistoryLimit"/> are kept; another limit prepares its statement for the one call.
    /// </summary>
    public BottleFacts Find(string gtin, string serial, int historyLimit = DefaultHistoryLimit, bool fromReplica = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(historyLimit);
        if (historyLimit != DefaultHistoryLimit)
        {
            using var once = new Reader(fromReplica ? database.ConnectReplica() : database.Connect(), historyLimit);
            return Read(once.Bind(gtin, serial, historyLimit), gtin, serial);
        }

        var readers = fromReplica ? _replicaReaders : _readers;
        var reader = readers.TryTake(out var idle) ? idle : new Reader(fromReplica ? database.ConnectReplica() : database.Connect(), historyLimit);
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

    private static BottleFacts Read(IReadOnlyList<DbCommand> commands, string gtin, string serial)
    {
        IssuedTag? tag = null;
        StoredSeal? seal = null;
        StoredShipment? shipment = null;
        var events = new List<TagEvent>();
        var history = new List<ScanRecord>();
        foreach (var cmd in commands)
        {
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                ReadRow(r, gtin, serial, ref tag, ref seal, ref shipment, events, history);
            }
        }

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

    /// <summary>One open connection with the statements prepared on it.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand[] _commands;
        private readonly List<(DbParameter Gtin, DbParameter Serial, DbParameter? Limit)> _parameters = [];

        public Reader(DbConnection connection, int historyLimit)
        {
            _connection = connection;
            _commands = (connection.IsPostgres() ? PostgresQueries : [SqliteQuery(historyLimit)]).Select(sql =>
            {
                var command = connection.Command(sql);
                _parameters.Add((command.Parameter("@g", DbType.String), command.Parameter("@s", DbType.String),
                    sql.Contains("@n", StringComparison.Ordinal) ? command.Parameter("@n", DbType.Int64) : null));
                command.Prepare();
                return command;
            }).ToArray();
        }

        public IReadOnlyList<DbCommand> Bind(string gtin, string serial, int limit)
        {
            foreach (var (g, s, n) in _parameters)
            {
                g.Value = gtin;
                s.Value = serial;
                if (n is not null)
                {
                    n.Value = limit;
                }
            }

            return _commands;
        }

        public void Dispose()
        {
            foreach (var command in _commands)
            {
                command.Dispose();
            }

            _connection.Dispose();
        }
    }
}
