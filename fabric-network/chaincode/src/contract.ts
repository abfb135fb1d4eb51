import { createHash, X509Certificate } from 'node:crypto';
import { Context, Contract, Default, Info, Returns, Transaction } from 'fabric-contract-api';
import { decodeJws, importGatewayKey, verifyJws, type DecodedJws } from './jws';
import { normaliseGtin, isValidSerial, parseTag } from './tags';

/** The chaincode event emitted once per RecordSeals transaction that stored at least one record. */
export const SEALS_RECORDED_EVENT = 'SealsRecorded';

/** Composite key object types. */
export const KEY = {
  gateway: 'gateway', // gateway~{gatewayId}                      → GatewayRecord
  tag: 'tag', // tag~{gtin14}~{serial}                             → SealRecord
  event: 'event', // event~{eventId}                               → {gtin, serial}
  byGateway: 'gw', // gw~{gatewayId}~{sealedAt UTC ISO}~{eventId} → {gtin, serial}
  message: 'msg', // msg~{sha256 hex of the JWS}                  → the JWS (compact, ASCII)
} as const;

export interface ProvenanceOptions {
  /** MSP ids whose admins may register, rotate, move and revoke gateways. */
  readonly adminMspIds: readonly string[];
  /** Certificate attribute (Fabric CA) naming the role, and the value that makes an admin. */
  readonly adminRoleAttribute: string;
  readonly adminRoleValue: string;
  /**
   * Also accept an identity whose certificate subject has OU=admin (Fabric NodeOUs, as cryptogen issues for
   * Admin@org): that OU is certified by the organisation's CA just like an attribute.
   */
  readonly acceptNodeOuAdmin: boolean;
  /** MSP ids whose recorders may call RecordSeals (the producer organisation). */
  readonly recorderMspIds: readonly string[];
  /** The certificate attribute value (of adminRoleAttribute) that makes a recorder; admins may record too. */
  readonly recorderRoleValue: string;
  /**
   * Also accept a client certificate (NodeOU OU=client, as cryptogen issues for User1@org) or an admin certificate
   * (OU=admin) of a recorder MSP as a recorder: the organisation's CA certifies that OU like an attribute.
   */
  readonly acceptNodeOuRecorder: boolean;
  /** Most records (and most messages) in one RecordSeals batch. */
  readonly maxBatchSize: number;
  /** Most records one GetGatewayRecords query returns before asking for a narrower range. */
  readonly maxQueryResults: number;
}

export const DEFAULT_OPTIONS: ProvenanceOptions = {
  adminMspIds: ['ProducerMSP'],
  adminRoleAttribute: 'provenance.role',
  adminRoleValue: 'admin',
  acceptNodeOuAdmin: true,
  recorderMspIds: ['ProducerMSP'],
  recorderRoleValue: 'recorder',
  acceptNodeOuRecorder: true,
  maxBatchSize: 500,
  maxQueryResults: 5000,
};

/**
 * Options from the chaincode server's environment: PROVENANCE_ADMIN_MSPIDS and PROVENANCE_RECORDER_MSPIDS
 * (comma-separated, default ProducerMSP), PROVENANCE_ADMIN_ACCEPT_OU and PROVENANCE_RECORDER_ACCEPT_OU (true|false,
 * default true), PROVENANCE_MAX_BATCH, PROVENANCE_MAX_QUERY. Every endorsing peer's chaincode must run with the same
 * values.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv): ProvenanceOptions {
  const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const msps = list(env.PROVENANCE_ADMIN_MSPIDS);
  const recorders = list(env.PROVENANCE_RECORDER_MSPIDS);
  const int = (value: string | undefined, fallback: number): number => {
    const n = Number(value);
    return value !== undefined && Number.isSafeInteger(n) && n > 0 ? n : fallback;
  };
  return {
    ...DEFAULT_OPTIONS,
    adminMspIds: msps.length > 0 ? msps : DEFAULT_OPTIONS.adminMspIds,
    acceptNodeOuAdmin: (env.PROVENANCE_ADMIN_ACCEPT_OU ?? 'true').toLowerCase() !== 'false',
    recorderMspIds: recorders.length > 0 ? recorders : DEFAULT_OPTIONS.recorderMspIds,
    acceptNodeOuRecorder: (env.PROVENANCE_RECORDER_ACCEPT_OU ?? 'true').toLowerCase() !== 'false',
    maxBatchSize: int(env.PROVENANCE_MAX_BATCH, DEFAULT_OPTIONS.maxBatchSize),
    maxQueryResults: int(env.PROVENANCE_MAX_QUERY, DEFAULT_OPTIONS.maxQueryResults),
  };
}

export interface GatewayRecord {
  docType: 'gateway';
  gatewayId: string;
  siteId: string;
  /** SPKI PEM of the current P-256 key. */
  publicKeyPem: string;
  keyFingerprint: string;
  /** 1 at registration, +1 per rotation. */
  keyVersion: number;
  status: 'active' | 'revoked';
  registeredAt: string;
  updatedAt: string;
  /** Who made the last change: MSP id and X.509 id. */
  updatedBy: { mspId: string; id: string };
  revokedAt?: string;
  revocationReason?: string;
}

/** The signed seal event as the gateway sent it (one element of the payload's `events`). */
export interface SignedSealEvent {
  eventId: string;
  tag: string;
  line: string;
  sealedAt: string;
  sealType: string;
  nfcUid?: string;
  seq: number;
  [extra: string]: unknown;
}

/**
 * A tag's record in the world state. The signed event itself is not copied here: it is in the gateway message
 * (stored once under msg~{messageHash}); eventHash pins it.
 */
export interface SealRecord {
  eventId: string;
  gtin: string;
  serial: string;
  gatewayId: string;
  siteId: string;
  /** The event's sealedAt normalised to UTC (YYYY-MM-DDTHH:mm:ss.sssZ). */
  sealedAt: string;
  /** SHA-256 (hex) of the signed event's canonical JSON (object keys sorted). */
  eventHash: string;
  /** The payload's sentAt. */
  sentAt: string;
  /** SHA-256 (hex) of the gateway's JWS, stored once under msg~{hash}; GetTagRecord inlines it as `jws`. */
  messageHash: string;
  keyFingerprint: string;
  keyVersion: number;
  attestation?: Record<string, unknown>;
  txId: string;
  recordedAt: string;
}

export interface Rejection {
  index: number;
  eventId: string | null;
  code: string;
  reason: string;
}

export interface RecordSealsResult {
  stored: string[];
  duplicates: string[];
  rejected: Rejection[];
}

/** GetTagRecord's answer: the record with its signed event and the gateway's whole message. */
export interface TagRecordView extends SealRecord {
  event: SignedSealEvent | null;
  jws: string | null;
}

export interface SealsRecordedEvent {
  txId: string;
  stored: { eventId: string; gtin: string; serial: string }[];
}

/**
 * RecordSeals' argument: each gateway message once, and one record per seal event that names its message by index.
 * Compact on the ledger: a 10-event message is carried once, not ten times.
 */
export interface SealBatch {
  messages: string[];
  records: { eventId: string; gtin: string; serial: string; gatewayId: string; siteId: string; message: number; attestation?: Record<string, unknown> }[];
}

const IDENTIFIER = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const EVENT_ID = /^[\x21-\x7e]{1,128}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO-8601 instant with an offset; returns it normalised to UTC milliseconds, or null. */
export function normaliseInstant(value: unknown): string | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** JSON with object keys sorted, so equal content compares equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

class RecordError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function fromBytes<T>(bytes: Uint8Array | undefined | null): T | null {
  return bytes && bytes.length > 0 ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : null;
}

/** A Fabric timestamp (seconds may be a Long, a number or a decimal string) as ISO-8601 UTC. */
function timestampToIso(ts: { seconds: unknown; nanos: number } | null | undefined): string {
  if (!ts) {
    return '';
  }
  const seconds = Number(String(ts.seconds));
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

function requireIdentifier(value: unknown, what: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new Error(`${what} '${String(value)}' is not a valid id: use 1–64 characters a–z, 0–9, '-', '_', starting with a letter or digit`);
  }
  return value;
}

/**
 * The organisational units in the subject of the caller's certificate. Read from the certificate itself, not from
 * getID(): that string escapes only the first '/' of a value, so a CN like "x/y/OU=admin" would read as an OU there.
 */
function organisationalUnits(identity: Context['clientIdentity']): Set<string> {
  try {
    const subject = new X509Certificate(Buffer.from(identity.getIDBytes())).subject;
    return new Set(subject.split('\n').filter((line) => line.startsWith('OU=')).map((line) => line.slice(3)));
  } catch {
    return new Set();
  }
}

/** The event with this id in a stored (already verified) gateway message, or null. */
function signedEvent(jws: string, eventId: string): SignedSealEvent | null {
  const decoded = decodeJws(jws);
  if (!decoded.ok) {
    return null;
  }
  try {
    const payload = JSON.parse(decoded.jws.payload.toString('utf8')) as { events?: unknown };
    const events = Array.isArray(payload.events) ? payload.events : [];
    return (events.find((e: unknown) => isObject(e) && e.eventId === eventId) as SignedSealEvent | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * The provenance contract: a registry of line gateways (P-256 keys per gateway and site), signed seal records
 * per tag (re-verified here against the registry), and queries.
 *
 * RecordSeals reports per record instead of failing the whole transaction: a batch from the ledger sink mixes
 * events of many gateways, and one bad or conflicting record must not block the good ones (nor make the sink
 * retry forever). The transaction itself fails only when the batch as a whole is unusable (not a JSON array, too
 * large). Storing is idempotent by event id: re-submitting a stored event (same signed event, gateway and site)
 * is reported as a duplicate and writes nothing, so the sink can retry safely.
 */
@Info({ title: 'Provenance', description: 'Gateway registry and signed seal records for bottle tags', version: '0.1.0' })
@Default()
export class ProvenanceContract extends Contract {
  private readonly options: ProvenanceOptions;

  constructor(options?: ProvenanceOptions) {
    super('provenance');
    this.options = options ?? optionsFromEnv(process.env);
  }

  // ───────────────────────── gateway registry ─────────────────────────

  /** Registers a gateway with its site and P-256 public key (SPKI PEM). Admins of an allowed MSP only. Returns the GatewayRecord JSON. */
  @Transaction()
  @Returns('string')
  async RegisterGateway(ctx: Context, gatewayId: string, siteId: string, publicKeyPem: string): Promise<string> {
    const by = this.requireAdmin(ctx);
    requireIdentifier(gatewayId, 'gateway id');
    requireIdentifier(siteId, 'site id');
    const key = importGatewayKey(publicKeyPem);
    if (!key.ok) {
      throw new Error(key.error);
    }
    const stateKey = ctx.stub.createCompositeKey(KEY.gateway, [gatewayId]);
    const existing = fromBytes<GatewayRecord>(await ctx.stub.getState(stateKey));
    if (existing) {
      throw new Error(existing.status === 'revoked'
        ? `gateway '${gatewayId}' was revoked; register the device under a new id`
        : `gateway '${gatewayId}' is already registered; use RotateGatewayKey or MoveGateway`);
    }
    const now = timestampToIso(ctx.stub.getTxTimestamp());
    const record: GatewayRecord = {
      docType: 'gateway',
      gatewayId,
      siteId,
      publicKeyPem: key.key.pem,
      keyFingerprint: key.key.fingerprint,
      keyVersion: 1,
      status: 'active',
      registeredAt: now,
      updatedAt: now,
      updatedBy: by,
    };
    await ctx.stub.putState(stateKey, toBytes(record));
    return JSON.stringify(record);
  }

  /** Replaces an active gateway's key; records stored before stay as they are. Admins only. Returns the GatewayRecord JSON. */
  @Transaction()
  @Returns('string')
  async RotateGatewayKey(ctx: Context, gatewayId: string, publicKeyPem: string): Promise<string> {
    const by = this.requireAdmin(ctx);
    const { stateKey, record } = await this.activeGateway(ctx, gatewayId);
    const key = importGatewayKey(publicKeyPem);
    if (!key.ok) {
      throw new Error(key.error);
    }
    if (key.key.fingerprint === record.keyFingerprint) {
      throw new Error(`gateway '${gatewayId}' already has this key`);
    }
    const updated: GatewayRecord = {
      ...record,
      publicKeyPem: key.key.pem,
      keyFingerprint: key.key.fingerprint,
      keyVersion: record.keyVersion + 1,
      updatedAt: timestampToIso(ctx.stub.getTxTimestamp()),
      updatedBy: by,
    };
    await ctx.stub.putState(stateKey, toBytes(updated));
    return JSON.stringify(updated);
  }

  /** Moves an active gateway to another site. Admins only. Returns the GatewayRecord JSON. */
  @Transaction()
  @Returns('string')
  async MoveGateway(ctx: Context, gatewayId: string, siteId: string): Promise<string> {
    const by = this.requireAdmin(ctx);
    requireIdentifier(siteId, 'site id');
    const { stateKey, record } = await this.activeGateway(ctx, gatewayId);
    if (record.siteId === siteId) {
      return JSON.stringify(record);
    }
    const updated: GatewayRecord = { ...record, siteId, updatedAt: timestampToIso(ctx.stub.getTxTimestamp()), updatedBy: by };
    await ctx.stub.putState(stateKey, toBytes(updated));
    return JSON.stringify(updated);
  }

  /** Revokes a gateway: its seals are refused from then on; records stored before stay. Revoking twice is a no-op. Admins only. */
  @Transaction()
  @Returns('string')
  async RevokeGateway(ctx: Context, gatewayId: string, reason: string): Promise<string> {
    const by = this.requireAdmin(ctx);
    requireIdentifier(gatewayId, 'gateway id');
    const stateKey = ctx.stub.createCompositeKey(KEY.gateway, [gatewayId]);
    const record = fromBytes<GatewayRecord>(await ctx.stub.getState(stateKey));
    if (!record) {
      throw new Error(`gateway '${gatewayId}' is not registered`);
    }
    if (record.status === 'revoked') {
      return JSON.stringify(record);
    }
    const now = timestampToIso(ctx.stub.getTxTimestamp());
    const updated: GatewayRecord = {
      ...record,
      status: 'revoked',
      revokedAt: now,
      revocationReason: typeof reason === 'string' ? reason.slice(0, 500) : '',
      updatedAt: now,
      updatedBy: by,
    };
    await ctx.stub.putState(stateKey, toBytes(updated));
    return JSON.stringify(updated);
  }

  /** The GatewayRecord JSON, or `null` when the gateway is not registered. */
  @Transaction(false)
  @Returns('string')
  async GetGateway(ctx: Context, gatewayId: string): Promise<string> {
    requireIdentifier(gatewayId, 'gateway id');
    const record = fromBytes<GatewayRecord>(await ctx.stub.getState(ctx.stub.createCompositeKey(KEY.gateway, [gatewayId])));
    return JSON.stringify(record);
  }

  /** Every version of a gateway's registry entry (registrations, rotations, moves, revocation), oldest first. */
  @Transaction(false)
  @Returns('string')
  async GetGatewayHistory(ctx: Context, gatewayId: string): Promise<string> {
    requireIdentifier(gatewayId, 'gateway id');
    return JSON.stringify(await this.history(ctx, ctx.stub.createCompositeKey(KEY.gateway, [gatewayId])));
  }

  // ───────────────────────── seal records ─────────────────────────

  /**
   * Stores signed seal records. `batchJson` is a SealBatch: {messages: [jws…], records: [{eventId, gtin, serial,
   * gatewayId, siteId, message (index into messages), attestation?}]}. Recorders of the producer organisation only.
   * Returns RecordSealsResult JSON {stored, duplicates, rejected:[{index, eventId, code, reason}]} and emits one
   * SealsRecorded event when anything was stored.
   */
  @Transaction()
  @Returns('string')
  async RecordSeals(ctx: Context, batchJson: string): Promise<string> {
    this.requireRecorder(ctx);
    const batch = this.parseBatch(batchJson);
    const result: RecordSealsResult = { stored: [], duplicates: [], rejected: [] };
    const event: SealsRecordedEvent = { txId: ctx.stub.getTxID(), stored: [] };
    const batchState = new BatchState(ctx);
    const recordedAt = timestampToIso(ctx.stub.getTxTimestamp());

    for (let index = 0; index < batch.records.length; index++) {
      const item: unknown = batch.records[index];
      const eventId = isObject(item) && typeof item.eventId === 'string' ? item.eventId : null;
      try {
        const outcome = await this.recordOne(ctx, batchState, batch.messages, item, recordedAt);
        if (outcome === 'duplicate') {
          result.duplicates.push(eventId as string);
        } else {
          result.stored.push(outcome.eventId);
          event.stored.push({ eventId: outcome.eventId, gtin: outcome.gtin, serial: outcome.serial });
        }
      } catch (e) {
        if (e instanceof RecordError) {
          result.rejected.push({ index, eventId, code: e.code, reason: e.message });
        } else {
          throw e; // ledger or programming error: fail the transaction, the sink retries it
        }
      }
    }

    if (event.stored.length > 0) {
      ctx.stub.setEvent(SEALS_RECORDED_EVENT, toBytes(event));
    }
    return JSON.stringify(result);
  }

  /** The batch as a whole: a SealBatch object within the size limits, or the transaction fails. */
  private parseBatch(batchJson: string): { messages: unknown[]; records: unknown[] } {
    let batch: unknown;
    try {
      batch = JSON.parse(batchJson);
    } catch (e) {
      throw new Error(`batch is not valid JSON: ${(e as Error).message}`);
    }
    if (!isObject(batch) || !Array.isArray(batch.messages) || !Array.isArray(batch.records)) {
      throw new Error('batch must be a JSON object {"messages":[jws…],"records":[…]}');
    }
    const limit = this.options.maxBatchSize;
    if (batch.records.length > limit || batch.messages.length > limit) {
      throw new Error(`batch has ${batch.records.length} records and ${batch.messages.length} messages; at most ${limit} of each per transaction`);
    }
    return { messages: batch.messages, records: batch.records };
  }

  private async recordOne(ctx: Context, state: BatchState, messages: unknown[], item: unknown, recordedAt: string): Promise<SealRecord | 'duplicate'> {
    // 1. the record's shape
    if (!isObject(item)) {
      throw new RecordError('malformed-record', 'record must be a JSON object');
    }
    const { eventId, gtin: rawGtin, serial, gatewayId, siteId, message, attestation } = item;
    if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) {
      throw new RecordError('malformed-record', 'eventId must be 1–128 printable ASCII characters');
    }
    const gtin = normaliseGtin(rawGtin);
    if (gtin === null) {
      throw new RecordError('malformed-record', `gtin '${String(rawGtin)}' is not a valid GTIN`);
    }
    if (!isValidSerial(serial)) {
      throw new RecordError('malformed-record', 'serial must be 1–20 characters of GS1 character set 82');
    }
    if (typeof gatewayId !== 'string' || !IDENTIFIER.test(gatewayId) || typeof siteId !== 'string' || !IDENTIFIER.test(siteId)) {
      throw new RecordError('malformed-record', 'gatewayId and siteId must be valid ids');
    }
    if (typeof message !== 'number' || !Number.isSafeInteger(message) || message < 0 || message >= messages.length) {
      throw new RecordError('malformed-record', `message must be the index of the record's gateway message in messages (0–${messages.length - 1})`);
    }
    const jws = messages[message];
    if (typeof jws !== 'string') {
      throw new RecordError('malformed-record', `messages[${message}] must be the gateway message as a JWS compact serialisation`);
    }
    if (attestation !== undefined && attestation !== null && !isObject(attestation)) {
      throw new RecordError('malformed-record', 'attestation must be a JSON object when present');
    }

    // 2. the registry
    const gateway = await state.gateway(gatewayId);
    if (gateway === null) {
      throw new RecordError('unknown-gateway', `gateway '${gatewayId}' is not registered`);
    }
    if (gateway.status !== 'active') {
      throw new RecordError('revoked-gateway', `gateway '${gatewayId}' is revoked`);
    }
    if (gateway.siteId !== siteId) {
      throw new RecordError('site-mismatch', `gateway '${gatewayId}' is registered at site '${gateway.siteId}', not '${siteId}'`);
    }

    // 3. the signature
    const token = state.verified(gateway, jws);

    // 4. the payload
    let payload: unknown;
    try {
      payload = JSON.parse(token.payload.toString('utf8'));
    } catch {
      throw new RecordError('malformed-payload', 'JWS payload is not valid JSON');
    }
    if (!isObject(payload) || payload.v !== 1 || !Array.isArray(payload.events)) {
      throw new RecordError('malformed-payload', 'JWS payload is not a version 1 seal message');
    }
    if (payload.gateway !== gatewayId) {
      throw new RecordError('gateway-mismatch', `payload gateway '${String(payload.gateway)}' is not '${gatewayId}'`);
    }
    if (payload.site !== siteId) {
      throw new RecordError('site-mismatch', `payload site '${String(payload.site)}' is not '${siteId}'`);
    }
    const sentAt = normaliseInstant(payload.sentAt);
    if (sentAt === null) {
      throw new RecordError('malformed-payload', 'payload sentAt is not an ISO-8601 instant');
    }

    // 5. the event
    const matches = payload.events.filter((e: unknown) => isObject(e) && e.eventId === eventId);
    if (matches.length === 0) {
      throw new RecordError('event-not-found', `the signed message has no event '${eventId}'`);
    }
    if (matches.length > 1) {
      throw new RecordError('malformed-payload', `the signed message has event '${eventId}' more than once`);
    }
    const signed = matches[0] as Record<string, unknown>;
    const sealedAt = normaliseInstant(signed.sealedAt);
    if (sealedAt === null || typeof signed.line !== 'string' || typeof signed.sealType !== 'string'
      || !Number.isSafeInteger(signed.seq) || (signed.nfcUid !== undefined && signed.nfcUid !== null && typeof signed.nfcUid !== 'string')) {
      throw new RecordError('malformed-event', `event '${eventId}' lacks a valid sealedAt, line, sealType or seq`);
    }
    const tag = parseTag(signed.tag);
    if (!tag.ok) {
      throw new RecordError('malformed-tag', `event '${eventId}': ${tag.error}`);
    }
    if (tag.id.gtin !== gtin || tag.id.serial !== serial) {
      throw new RecordError('tag-mismatch', `the signed tag denotes ${tag.id.gtin}/${tag.id.serial}, not ${gtin}/${serial}`);
    }

    // 6. uniqueness: one record per event id and per tag
    const record: SealRecord = {
      eventId,
      gtin,
      serial,
      gatewayId,
      siteId,
      sealedAt,
      eventHash: createHash('sha256').update(canonicalJson(signed), 'utf8').digest('hex'),
      sentAt,
      messageHash: state.messageHash(jws),
      keyFingerprint: gateway.keyFingerprint,
      keyVersion: gateway.keyVersion,
      ...(isObject(attestation) ? { attestation } : {}),
      txId: ctx.stub.getTxID(),
      recordedAt,
    };
    const tagKey = ctx.stub.createCompositeKey(KEY.tag, [gtin, serial]);
    const eventKey = ctx.stub.createCompositeKey(KEY.event, [eventId]);
    const byEvent = await state.read<{ gtin: string; serial: string }>(eventKey);
    const existing = await state.read<SealRecord>(tagKey);
    if (byEvent !== null && (byEvent.gtin !== gtin || byEvent.serial !== serial)) {
      throw new RecordError('conflict', `event '${eventId}' is already recorded for tag ${byEvent.gtin}/${byEvent.serial}`);
    }
    if (existing !== null) {
      const same = existing.eventId === eventId && existing.gatewayId === gatewayId && existing.siteId === siteId
        && existing.eventHash === record.eventHash;
      if (same) {
        return 'duplicate';
      }
      throw new RecordError('conflict', existing.eventId === eventId
        ? `event '${eventId}' is already recorded with different content`
        : `tag ${gtin}/${serial} is already sealed by event '${existing.eventId}' (gateway '${existing.gatewayId}', ${existing.sealedAt})`);
    }

    // 7. store
    const ref = { gtin, serial };
    await state.write(tagKey, record);
    await state.write(eventKey, ref);
    await state.write(ctx.stub.createCompositeKey(KEY.byGateway, [gatewayId, sealedAt, eventId]), ref);
    // Written without reading it first: two transactions in flight that carry parts of one message then write the
    // same bytes instead of invalidating each other (a read would make the later one an MVCC conflict).
    await state.writeMessageOnce(ctx.stub.createCompositeKey(KEY.message, [record.messageHash]), jws);
    return record;
  }

  // ───────────────────────── queries ─────────────────────────

  /**
   * The tag's record with its signed event (`event`) and the gateway's whole JWS (`jws`) inlined, or `null` when the
   * tag was never sealed (TagRecordView JSON).
   */
  @Transaction(false)
  @Returns('string')
  async GetTagRecord(ctx: Context, gtin: string, serial: string): Promise<string> {
    const key = this.tagKey(ctx, gtin, serial);
    const record = fromBytes<SealRecord>(await ctx.stub.getState(key));
    if (record === null) {
      return 'null';
    }
    const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(KEY.message, [record.messageHash]));
    const jws = bytes && bytes.length > 0 ? Buffer.from(bytes).toString('ascii') : null;
    const view: TagRecordView = { ...record, event: jws === null ? null : signedEvent(jws, record.eventId), jws };
    return JSON.stringify(view);
  }

  /** Every version of the tag's record: [{txId, timestamp, isDelete, value}], oldest first. */
  @Transaction(false)
  @Returns('string')
  async GetTagHistory(ctx: Context, gtin: string, serial: string): Promise<string> {
    return JSON.stringify(await this.history(ctx, this.tagKey(ctx, gtin, serial)));
  }

  /** The gateway's JWS message with this SHA-256 (hex), or `null`. */
  @Transaction(false)
  @Returns('string')
  async GetSealMessage(ctx: Context, messageHash: string): Promise<string> {
    if (typeof messageHash !== 'string' || !/^[0-9a-f]{64}$/.test(messageHash)) {
      throw new Error('message hash must be 64 lowercase hex digits');
    }
    const jws = await ctx.stub.getState(ctx.stub.createCompositeKey(KEY.message, [messageHash]));
    return JSON.stringify(jws && jws.length > 0 ? Buffer.from(jws).toString('ascii') : null);
  }

  /**
   * The SealRecords (without `jws`; see messageHash) a gateway sealed with fromIso <= sealedAt <= toIso, in
   * sealedAt order. Fails when more than maxQueryResults match: ask for a narrower range.
   */
  @Transaction(false)
  @Returns('string')
  async GetGatewayRecords(ctx: Context, gatewayId: string, fromIso: string, toIso: string): Promise<string> {
    requireIdentifier(gatewayId, 'gateway id');
    const from = normaliseInstant(fromIso);
    const to = normaliseInstant(toIso);
    if (from === null || to === null) {
      throw new Error('fromIso and toIso must be ISO-8601 instants with an offset, e.g. 2025-01-31T00:00:00Z');
    }
    if (from > to) {
      throw new Error('fromIso is after toIso');
    }
    const records: SealRecord[] = [];
    // Keys sort by sealedAt (fixed-width UTC ISO) within the gateway, so the scan stops after `to`.
    for await (const kv of ctx.stub.getStateByPartialCompositeKey(KEY.byGateway, [gatewayId])) {
      const [, sealedAt] = ctx.stub.splitCompositeKey(kv.key).attributes;
      if (sealedAt < from) {
        continue;
      }
      if (sealedAt > to) {
        break;
      }
      if (records.length >= this.options.maxQueryResults) {
        throw new Error(`more than ${this.options.maxQueryResults} records in this range; ask for a narrower range`);
      }
      const ref = fromBytes<{ gtin: string; serial: string }>(kv.value);
      if (ref !== null) {
        const record = fromBytes<SealRecord>(await ctx.stub.getState(ctx.stub.createCompositeKey(KEY.tag, [ref.gtin, ref.serial])));
        if (record !== null) {
          records.push(record);
        }
      }
    }
    return JSON.stringify(records);
  }

  // ───────────────────────── helpers ─────────────────────────

  private tagKey(ctx: Context, gtin: string, serial: string): string {
    const normalised = normaliseGtin(gtin);
    if (normalised === null) {
      throw new Error(`gtin '${gtin}' is not a valid GTIN`);
    }
    if (!isValidSerial(serial)) {
      throw new Error('serial must be 1–20 characters of GS1 character set 82');
    }
    return ctx.stub.createCompositeKey(KEY.tag, [normalised, serial]);
  }

  private async history(ctx: Context, key: string): Promise<{ txId: string; timestamp: string; isDelete: boolean; value: unknown }[]> {
    const entries: { txId: string; timestamp: string; isDelete: boolean; value: unknown }[] = [];
    for await (const mod of ctx.stub.getHistoryForKey(key)) {
      entries.push({
        txId: mod.txId,
        timestamp: timestampToIso(mod.timestamp as { seconds: unknown; nanos: number }),
        isDelete: mod.isDelete,
        value: mod.isDelete ? null : fromBytes<unknown>(mod.value),
      });
    }
    return entries;
  }

  private async activeGateway(ctx: Context, gatewayId: string): Promise<{ stateKey: string; record: GatewayRecord }> {
    requireIdentifier(gatewayId, 'gateway id');
    const stateKey = ctx.stub.createCompositeKey(KEY.gateway, [gatewayId]);
    const record = fromBytes<GatewayRecord>(await ctx.stub.getState(stateKey));
    if (!record) {
      throw new Error(`gateway '${gatewayId}' is not registered`);
    }
    if (record.status !== 'active') {
      throw new Error(`gateway '${gatewayId}' is revoked`);
    }
    return { stateKey, record };
  }

  /**
   * Recorders of an allowed MSP (the producer organisation): attribute provenance.role=recorder (or admin), or
   * (when accepted) a client or admin certificate (NodeOU OU=client / OU=admin). Peers and other MSPs are refused.
   */
  private requireRecorder(ctx: Context): void {
    const identity = ctx.clientIdentity;
    const mspId = identity.getMSPID();
    if (!this.options.recorderMspIds.includes(mspId)) {
      throw new Error(`access denied: identities of MSP '${mspId}' may not record seals (allowed: ${this.options.recorderMspIds.join(', ')})`);
    }
    const role = identity.getAttributeValue(this.options.adminRoleAttribute);
    const units = organisationalUnits(identity);
    const byOu = this.options.acceptNodeOuRecorder && (units.has('client') || units.has('admin'));
    if (role !== this.options.recorderRoleValue && role !== this.options.adminRoleValue && !byOu) {
      throw new Error(`access denied: recording seals needs attribute ${this.options.adminRoleAttribute}=${this.options.recorderRoleValue}`
        + (this.options.acceptNodeOuRecorder ? ' or a client certificate (OU=client)' : '') + ` of ${this.options.recorderMspIds.join(', ')}`);
    }
  }

  /** Admins of an allowed MSP: attribute provenance.role=admin, or (when accepted) NodeOU OU=admin. */
  private requireAdmin(ctx: Context): { mspId: string; id: string } {
    const identity = ctx.clientIdentity;
    const mspId = identity.getMSPID();
    if (!this.options.adminMspIds.includes(mspId)) {
      throw new Error(`access denied: identities of MSP '${mspId}' may not manage gateways (allowed: ${this.options.adminMspIds.join(', ')})`);
    }
    const id = identity.getID();
    const hasAttribute = identity.assertAttributeValue(this.options.adminRoleAttribute, this.options.adminRoleValue);
    const isOuAdmin = this.options.acceptNodeOuAdmin && organisationalUnits(identity).has('admin');
    if (!hasAttribute && !isOuAdmin) {
      throw new Error(`access denied: managing gateways needs attribute ${this.options.adminRoleAttribute}=${this.options.adminRoleValue}`
        + (this.options.acceptNodeOuAdmin ? ' or an admin certificate (OU=admin)' : ''));
    }
    return { mspId, id };
  }
}

/**
 * What one RecordSeals transaction has read and written. Fabric's getState does not see the transaction's own
 * writes, so records written earlier in the batch are looked up here first; gateways and verified messages are
 * cached for the batch.
 */
class BatchState {
  private readonly written = new Map<string, Uint8Array>();
  private readonly gateways = new Map<string, GatewayRecord | null>();
  private readonly tokens = new Map<string, DecodedJws | RecordError>();
  private readonly hashes = new Map<string, string>();

  constructor(private readonly ctx: Context) {}

  async gateway(gatewayId: string): Promise<GatewayRecord | null> {
    if (!this.gateways.has(gatewayId)) {
      const bytes = await this.ctx.stub.getState(this.ctx.stub.createCompositeKey(KEY.gateway, [gatewayId]));
      this.gateways.set(gatewayId, fromBytes<GatewayRecord>(bytes));
    }
    return this.gateways.get(gatewayId) ?? null;
  }

  /** The decoded JWS when it is ES256, its kid is the gateway and its signature verifies with the gateway's key. */
  verified(gateway: GatewayRecord, jws: string): DecodedJws {
    const cacheKey = `${gateway.gatewayId}\n${gateway.keyFingerprint}\n${jws}`;
    let outcome = this.tokens.get(cacheKey);
    if (outcome === undefined) {
      outcome = verifyFor(gateway, jws);
      this.tokens.set(cacheKey, outcome);
    }
    if (outcome instanceof RecordError) {
      throw outcome;
    }
    return outcome;
  }

  /** SHA-256 (hex) of a message's ASCII bytes, computed once per batch. */
  messageHash(jws: string): string {
    let hash = this.hashes.get(jws);
    if (hash === undefined) {
      hash = createHash('sha256').update(jws, 'ascii').digest('hex');
      this.hashes.set(jws, hash);
    }
    return hash;
  }

  async writeMessageOnce(key: string, jws: string): Promise<void> {
    if (!this.written.has(key)) {
      await this.writeRaw(key, Buffer.from(jws, 'ascii'));
    }
  }

  async readRaw(key: string): Promise<Uint8Array | null> {
    const bytes = this.written.get(key) ?? (await this.ctx.stub.getState(key));
    return bytes && bytes.length > 0 ? bytes : null;
  }

  async read<T>(key: string): Promise<T | null> {
    return fromBytes<T>(await this.readRaw(key));
  }

  async writeRaw(key: string, bytes: Uint8Array): Promise<void> {
    this.written.set(key, bytes);
    await this.ctx.stub.putState(key, bytes);
  }

  async write(key: string, value: unknown): Promise<void> {
    await this.writeRaw(key, toBytes(value));
  }
}

function verifyFor(gateway: GatewayRecord, jws: string): DecodedJws | RecordError {
  const decoded = decodeJws(jws);
  if (!decoded.ok) {
    return new RecordError(decoded.code, decoded.error);
  }
  if (decoded.jws.kid !== gateway.gatewayId) {
    return new RecordError('kid-mismatch', `JWS kid '${decoded.jws.kid}' is not gateway '${gateway.gatewayId}'`);
  }
  const key = importGatewayKey(gateway.publicKeyPem);
  if (!key.ok) {
    return new RecordError('bad-key', `registered key of gateway '${gateway.gatewayId}' is unusable: ${key.error}`);
  }
  if (!verifyJws(decoded.jws, key.key.key)) {
    return new RecordError('bad-signature', `signature does not verify with the key of gateway '${gateway.gatewayId}' (${gateway.keyFingerprint})`);
  }
  return decoded.jws;
}
