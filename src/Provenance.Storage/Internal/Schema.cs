using System.Data.Common;

namespace Provenance.Storage.Internal;

/// <summary>The schema, versioned with <c>PRAGMA user_version</c>; each step runs once, in order.</summary>
internal static class Schema
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE sites (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            radius_m REAL,
            polygon_json TEXT,
            created_at TEXT NOT NULL);
        CREATE TABLE gateways (
            id TEXT PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            public_key_pem TEXT NOT NULL,
            key_fingerprint TEXT NOT NULL,
            mqtt_secret_hash BLOB NOT NULL,
            mqtt_secret_salt BLOB NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            last_status TEXT,
            last_status_at TEXT);
        CREATE TABLE products (
            gtin TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            brand TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            gtin TEXT NOT NULL REFERENCES products(gtin),
            lot TEXT,
            count INTEGER NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE tags (
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            lot TEXT,
            batch_id INTEGER NOT NULL REFERENCES batches(id),
            status TEXT NOT NULL DEFAULT 'issued',
            PRIMARY KEY (gtin, serial)) WITHOUT ROWID;
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            topic TEXT NOT NULL,
            gateway_id TEXT NOT NULL,
            jws TEXT NOT NULL,
            received_at TEXT NOT NULL);
        CREATE TABLE seals (
            event_id TEXT PRIMARY KEY,
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            gateway_id TEXT NOT NULL,
            site_id TEXT NOT NULL,
            line TEXT NOT NULL,
            sealed_at TEXT NOT NULL,
            seal_type TEXT NOT NULL,
            nfc_uid TEXT,
            seq INTEGER NOT NULL,
            content_hash BLOB NOT NULL,
            attested INTEGER NOT NULL,
            attestation_json TEXT NOT NULL,
            message_id INTEGER NOT NULL REFERENCES messages(id),
            received_at TEXT NOT NULL,
            UNIQUE (gtin, serial));
        CREATE TABLE gateway_fixes (
            gateway_id TEXT PRIMARY KEY,
            fixes_json TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE journal (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            event_id TEXT NOT NULL,
            body TEXT NOT NULL,
            message_id INTEGER,
            created_at TEXT NOT NULL);
        CREATE TABLE sink_cursors (
            sink TEXT PRIMARY KEY,
            position INTEGER NOT NULL);
        CREATE TABLE ledger (
            idx INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            record_json TEXT NOT NULL,
            message_jws TEXT NOT NULL,
            prev_hash BLOB NOT NULL,
            entry_hash BLOB NOT NULL,
            signature BLOB NOT NULL,
            appended_at TEXT NOT NULL);
        CREATE TABLE ledger_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        CREATE TABLE dead_letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at TEXT NOT NULL,
            topic TEXT,
            reason_code TEXT NOT NULL,
            reason TEXT NOT NULL,
            event_id TEXT,
            payload BLOB NOT NULL);
        CREATE INDEX dead_letters_reason ON dead_letters(reason_code);
        CREATE TABLE scans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            scanned_at TEXT NOT NULL,
            verdict TEXT NOT NULL,
            lat REAL,
            lon REAL,
            location_source TEXT,
            scanner TEXT);
        CREATE INDEX scans_tag ON scans(gtin, serial, scanned_at);
        """,
        """
        CREATE TABLE fabric_gateways (
            gateway_id TEXT PRIMARY KEY,
            site_id TEXT NOT NULL,
            key_fingerprint TEXT NOT NULL,
            registered_at TEXT NOT NULL);
        CREATE TABLE fabric_pending (
            tx_id TEXT PRIMARY KEY,
            first_position INTEGER NOT NULL,
            last_position INTEGER NOT NULL,
            seals_json TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE ledger_proofs (
            event_id TEXT PRIMARY KEY,
            engine TEXT NOT NULL,
            tx_id TEXT NOT NULL,
            block_number INTEGER,
            committed_at TEXT NOT NULL,
            note TEXT);
        """,
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            key_hash BLOB NOT NULL UNIQUE,
            role TEXT NOT NULL,
            distributor_id TEXT,
            name TEXT,
            created_at TEXT NOT NULL,
            revoked_at TEXT);
        CREATE TABLE distributors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            country TEXT,
            region_json TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE cases (
            code TEXT PRIMARY KEY,
            created_at TEXT NOT NULL);
        CREATE TABLE case_tags (
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            case_code TEXT NOT NULL REFERENCES cases(code),
            PRIMARY KEY (gtin, serial)) WITHOUT ROWID;
        CREATE INDEX case_tags_case ON case_tags(case_code);
        CREATE TABLE shipments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            distributor_id TEXT NOT NULL REFERENCES distributors(id),
            region_json TEXT NOT NULL,
            tag_count INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL);
        CREATE TABLE shipment_tags (
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            shipment_id INTEGER NOT NULL REFERENCES shipments(id),
            PRIMARY KEY (gtin, serial)) WITHOUT ROWID;
        CREATE INDEX shipment_tags_shipment ON shipment_tags(shipment_id);
        CREATE TABLE tag_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            gtin TEXT NOT NULL,
            serial TEXT,
            lot TEXT,
            reason TEXT,
            source TEXT,
            at TEXT NOT NULL,
            recorded_at TEXT NOT NULL);
        CREATE INDEX tag_events_tag ON tag_events(gtin, serial);
        CREATE INDEX tag_events_lot ON tag_events(gtin, lot);
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            gtin TEXT,
            serial TEXT,
            distributor_id TEXT,
            detail_json TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX alerts_kind ON alerts(kind, id);
        ALTER TABLE scans ADD COLUMN country TEXT;
        ALTER TABLE scans ADD COLUMN accuracy_m REAL;
        """,
        """
        CREATE INDEX journal_kind_event ON journal(kind, event_id);
        """,
        // Ledger format 2: entries grouped into signed blocks with a Merkle root (docs/ledger-format.md). Entries of
        // format 1 stay in ledger_v1 until EmbeddedLedger.UpgradeLegacyEntries, holding the node key, re-checks and
        // re-blocks them.
        """
        ALTER TABLE ledger RENAME TO ledger_v1;
        CREATE TABLE ledger (
            idx INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            record_json TEXT NOT NULL,
            message_id INTEGER NOT NULL,
            block_height INTEGER NOT NULL,
            entry_hash BLOB NOT NULL,
            merkle_path BLOB NOT NULL);
        CREATE TABLE ledger_blocks (
            height INTEGER PRIMARY KEY,
            first_idx INTEGER NOT NULL,
            entry_count INTEGER NOT NULL,
            prev_hash BLOB NOT NULL,
            merkle_root BLOB NOT NULL,
            created_at_ms INTEGER NOT NULL,
            header_hash BLOB NOT NULL,
            signature BLOB NOT NULL);
        """,
        """
        CREATE TABLE dead_letter_messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at TEXT NOT NULL,
            topic TEXT,
            gateway_id TEXT NOT NULL DEFAULT '',
            payload BLOB NOT NULL,
            payload_length INTEGER NOT NULL,
            size INTEGER NOT NULL);
        CREATE INDEX dead_letter_messages_gateway ON dead_letter_messages(gateway_id, id);
        ALTER TABLE dead_letters ADD COLUMN message_id INTEGER REFERENCES dead_letter_messages(id);
        INSERT INTO dead_letter_messages (id, received_at, topic, gateway_id, payload, payload_length, size)
            SELECT id, received_at, topic, '', payload, length(payload), length(payload) + length(reason) + 64 FROM dead_letters;
        UPDATE dead_letters SET message_id = id, payload = x'';
        CREATE INDEX dead_letters_message ON dead_letters(message_id);
        CREATE TABLE dead_letter_usage (
            gateway_id TEXT PRIMARY KEY,
            bytes INTEGER NOT NULL,
            messages INTEGER NOT NULL,
            pruned INTEGER NOT NULL DEFAULT 0);
        INSERT INTO dead_letter_usage (gateway_id, bytes, messages)
            SELECT gateway_id, SUM(size), COUNT(*) FROM dead_letter_messages GROUP BY gateway_id;
        """,
        """
        CREATE TABLE gateway_keys (
            gateway_id TEXT NOT NULL REFERENCES gateways(id),
            key_fingerprint TEXT NOT NULL,
            public_key_pem TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_until TEXT,
            PRIMARY KEY (gateway_id, key_fingerprint)) WITHOUT ROWID;
        INSERT INTO gateway_keys (gateway_id, key_fingerprint, public_key_pem, valid_from)
            SELECT id, key_fingerprint, public_key_pem, created_at FROM gateways;
        ALTER TABLE gateways ADD COLUMN key_version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE gateways ADD COLUMN revocation_reason TEXT;
        """,
        """
        ALTER TABLE api_keys ADD COLUMN hash_scheme TEXT NOT NULL DEFAULT 'sha256';
        ALTER TABLE api_keys ADD COLUMN rotated_at TEXT;
        CREATE TABLE dashboard_sessions (
            token_hash BLOB PRIMARY KEY,
            key_id TEXT NOT NULL REFERENCES api_keys(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL);
        CREATE INDEX dashboard_sessions_key ON dashboard_sessions(key_id);
        ALTER TABLE tag_events ADD COLUMN claimed_at TEXT;
        ALTER TABLE tag_events ADD COLUMN recorded_by TEXT;
        """,
        """
        CREATE INDEX seals_nfc_uid ON seals(nfc_uid) WHERE nfc_uid IS NOT NULL;
        CREATE TABLE nfc_taps (
            uid TEXT PRIMARY KEY,
            key_id INTEGER NOT NULL,
            last_counter INTEGER NOT NULL,
            taps INTEGER NOT NULL,
            tamper TEXT NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL) WITHOUT ROWID;
        """,
        // Positions of replayable sources (Event Hubs partitions), written in the commit of the messages they cover.
        """
        CREATE TABLE source_checkpoints (
            source TEXT NOT NULL,
            partition_id TEXT NOT NULL,
            sequence_number INTEGER NOT NULL,
            offset_text TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source, partition_id)) WITHOUT ROWID;
        """,
        """
        CREATE TABLE epcis_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            event_type TEXT NOT NULL,
            biz_step TEXT,
            action TEXT,
            disposition TEXT,
            event_time TEXT NOT NULL,
            record_time TEXT NOT NULL,
            biz_location TEXT,
            parent_id TEXT,
            distributor_id TEXT,
            batch_id INTEGER,
            source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            json TEXT NOT NULL,
            prefixes_json TEXT);
        CREATE INDEX epcis_events_time ON epcis_events(event_time);
        CREATE INDEX epcis_events_step ON epcis_events(biz_step, seq);
        CREATE INDEX epcis_events_location ON epcis_events(biz_location) WHERE biz_location IS NOT NULL;
        CREATE INDEX epcis_events_parent ON epcis_events(parent_id) WHERE parent_id IS NOT NULL;
        CREATE INDEX epcis_events_distributor ON epcis_events(distributor_id, seq) WHERE distributor_id IS NOT NULL;
        CREATE INDEX epcis_events_batch ON epcis_events(batch_id) WHERE batch_id IS NOT NULL;
        CREATE TABLE epcis_epcs (
            epc TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (epc, seq)) WITHOUT ROWID;
        CREATE TABLE epcis_captures (
            id TEXT PRIMARY KEY,
            api_key_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            event_count INTEGER NOT NULL,
            success INTEGER NOT NULL,
            errors_json TEXT NOT NULL);
        CREATE INDEX tags_batch ON tags(batch_id);
        CREATE INDEX tags_lot ON tags(gtin, lot);
        ALTER TABLE seals ADD COLUMN attestation_inputs TEXT;
        """,
        """
        ALTER TABLE fabric_pending ADD COLUMN envelope BLOB;
        """,
        """
        CREATE TABLE gateway_device_keys (
            gateway_id TEXT PRIMARY KEY REFERENCES gateways(id),
            nonce BLOB NOT NULL,
            ciphertext BLOB NOT NULL,
            tag BLOB NOT NULL,
            created_at TEXT NOT NULL) WITHOUT ROWID;
        """,
        """
        CREATE TABLE inner_openings (
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            lat REAL,
            lon REAL,
            country TEXT,
            scans INTEGER NOT NULL,
            last_at TEXT NOT NULL,
            PRIMARY KEY (gtin, serial)) WITHOUT ROWID;
        """,
        """
        CREATE TABLE gateway_twins (
            gateway_id TEXT PRIMARY KEY REFERENCES gateways(id),
            desired_json TEXT NOT NULL,
            desired_version INTEGER NOT NULL,
            reported_json TEXT NOT NULL,
            reported_version INTEGER NOT NULL,
            reported_at TEXT) WITHOUT ROWID;
        """,
        """
        CREATE TABLE gateway_device_certificates (
            gateway_id TEXT PRIMARY KEY REFERENCES gateways(id),
            thumbprint TEXT,
            created_at TEXT NOT NULL) WITHOUT ROWID;
        """,
        // Dealer levels (distributor → sub-distributor → retailer), custody scans, case-opening rebates, weak diversion evidence.
        """
        ALTER TABLE distributors ADD COLUMN parent_id TEXT REFERENCES distributors(id);
        ALTER TABLE distributors ADD COLUMN level TEXT NOT NULL DEFAULT 'distributor';
        CREATE INDEX distributors_parent ON distributors(parent_id) WHERE parent_id IS NOT NULL;
        CREATE TABLE custody_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            action TEXT NOT NULL,
            dealer_id TEXT NOT NULL,
            counterparty TEXT,
            case_code TEXT,
            source TEXT NOT NULL,
            lat REAL,
            lon REAL,
            country TEXT,
            inside_region INTEGER,
            at TEXT NOT NULL);
        CREATE INDEX custody_events_tag ON custody_events(gtin, serial, id);
        CREATE INDEX custody_events_dealer ON custody_events(dealer_id, id);
        CREATE TABLE case_rebates (
            case_code TEXT PRIMARY KEY,
            retailer_id TEXT NOT NULL,
            amount TEXT NOT NULL,
            currency TEXT NOT NULL,
            bottles INTEGER NOT NULL,
            alert_id INTEGER NOT NULL,
            at TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX case_rebates_retailer ON case_rebates(retailer_id);
        CREATE TABLE diversion_evidence (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            distributor_id TEXT,
            grade TEXT NOT NULL,
            source TEXT NOT NULL,
            scanner TEXT,
            lat REAL,
            lon REAL,
            country TEXT,
            at TEXT NOT NULL);
        CREATE INDEX diversion_evidence_distributor ON diversion_evidence(distributor_id, at);
        CREATE INDEX diversion_evidence_tag ON diversion_evidence(gtin, serial);
        """,
        """
        CREATE INDEX scans_time ON scans(scanned_at);
        """,
        // The packaging hierarchy: every row of cases is a container (box, case or pallet) and may sit in a parent of a
        // higher level; case_tags keeps each bottle's one direct container.
        """
        ALTER TABLE cases ADD COLUMN level TEXT NOT NULL DEFAULT 'case';
        ALTER TABLE cases ADD COLUMN parent_code TEXT REFERENCES cases(code);
        CREATE INDEX cases_parent ON cases(parent_code);
        """,
        """
        CREATE TABLE reward_campaigns (
            id TEXT PRIMARY KEY,
            definition_json TEXT NOT NULL,
            budget INTEGER NOT NULL,
            reserved INTEGER NOT NULL DEFAULT 0,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            created_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE reward_redemptions (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES reward_campaigns(id),
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            user_id TEXT NOT NULL,
            device_id TEXT,
            network TEXT,
            user_agent TEXT,
            lat REAL,
            lon REAL,
            country TEXT,
            tier INTEGER,
            amount INTEGER NOT NULL,
            status TEXT NOT NULL,
            score INTEGER NOT NULL,
            reasons_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            payout_state TEXT,
            payout_seq INTEGER,
            payout_attempts INTEGER NOT NULL DEFAULT 0,
            payout_status INTEGER,
            payout_note TEXT,
            acknowledged_at TEXT,
            UNIQUE (gtin, serial)) WITHOUT ROWID;
        CREATE INDEX reward_redemptions_campaign ON reward_redemptions(campaign_id, status, created_at);
        CREATE INDEX reward_redemptions_user ON reward_redemptions(user_id, created_at);
        CREATE INDEX reward_redemptions_payout ON reward_redemptions(payout_state, payout_seq);
        """,
        """
        ALTER TABLE journal ADD COLUMN trace_parent TEXT;
        """,
        // Data-protection keys (antiforgery tokens of the dashboard forms), each encrypted with the server secret: in the
        // database so that every instance reads the same key ring without a shared file system.
        """
        CREATE TABLE data_protection_keys (
            name TEXT PRIMARY KEY,
            xml TEXT NOT NULL,
            created_at TEXT NOT NULL);
        """,
    ];

    public static void Migrate(DbConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var step = version; step < Steps.Length; step++)
        {
            using var tx = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = Steps[step] + $"\nPRAGMA user_version = {step + 1};";
            command.ExecuteNonQuery();
            tx.Commit();
        }
    }
}
