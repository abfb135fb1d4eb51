/**
 * Test doubles: an in-memory ledger with a ChaincodeStub per transaction, and a ClientIdentity. They follow
 * Fabric's semantics where the contract depends on them: getState reads committed state only (not the
 * transaction's own writes), writes and the event apply only when the transaction succeeds, partial
 * composite key queries return keys in order, and history lists every committed version of a key.
 */
import { generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Long from 'long';
import type { Context } from 'fabric-contract-api';
import type { SealBatch } from '../src/contract';
import type { ChaincodeStub, ClientIdentity, Iterators, SplitCompositekey, Timestamp } from 'fabric-shim-api';

const NS = '\x00';
const MIN = '\u0000';
const MAX = '\u{10ffff}';

type StubDouble = Pick<ChaincodeStub,
  'getState' | 'putState' | 'createCompositeKey' | 'splitCompositeKey' | 'getStateByPartialCompositeKey'
  | 'getHistoryForKey' | 'setEvent' | 'getTxTimestamp' | 'getTxID'>;

function iterable<T>(items: T[]): Promise<Iterators.CommonIterator<T>> & AsyncIterable<T> {
  let i = 0;
  const iterator: Iterators.CommonIterator<T> = {
    close: async () => undefined,
    next: async () => (i < items.length ? { value: items[i++], done: false } : { value: undefined as unknown as T, done: true }),
  };
  const promise = Promise.resolve(iterator);
  return Object.assign(promise, {
    [Symbol.asyncIterator]: (): AsyncIterator<T> => ({
      next: async () => (i < items.length ? { value: items[i++], done: false } : { value: undefined, done: true }),
      return: async () => ({ value: undefined, done: true }),
    }),
  });
}

export class MemoryStub implements StubDouble {
  readonly writes = new Map<string, Uint8Array>();
  event: { name: string; payload: Uint8Array } | null = null;

  constructor(private readonly ledger: MemoryLedger, private readonly txId: string, private readonly time: Date) {}

  getTxID(): string {
    return this.txId;
  }

  getTxTimestamp(): Timestamp {
    const ms = this.time.getTime();
    return { seconds: Long.fromNumber(Math.floor(ms / 1000), true), nanos: (ms % 1000) * 1e6 };
  }

  async getState(key: string): Promise<Uint8Array> {
    // Fabric returns committed state: a transaction does not read its own writes. Absent keys give empty bytes.
    return this.ledger.state.get(key) ?? new Uint8Array(0);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    if (typeof key !== 'string' || key.length === 0) {
      throw new Error('key must not be empty');
    }
    this.writes.set(key, Uint8Array.from(value));
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    for (const part of [objectType, ...attributes]) {
      if (typeof part !== 'string' || part.length === 0) {
        throw new Error('object type or attribute not a non-zero length string');
      }
      if (part.includes(MIN) || part.includes(MAX)) {
        throw new Error('composite key part contains U+0000 or U+10FFFF');
      }
    }
    return NS + objectType + MIN + attributes.map((a) => a + MIN).join('');
  }

  splitCompositeKey(compositeKey: string): SplitCompositekey {
    const parts = compositeKey.substring(1).split(MIN);
    parts.pop();
    return { objectType: parts[0], attributes: parts.slice(1) };
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    const prefix = this.createCompositeKey(objectType, attributes);
    const keys = [...this.ledger.state.keys()].filter((k) => k.startsWith(prefix)).sort(compareUtf8);
    return iterable(keys.map((key) => ({ namespace: 'provenance', key, value: this.ledger.state.get(key) as Uint8Array })));
  }

  getHistoryForKey(key: string): Promise<Iterators.HistoryQueryIterator> & AsyncIterable<Iterators.KeyModification> {
    return iterable([...(this.ledger.history.get(key) ?? [])]);
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.event = { name, payload: Uint8Array.from(payload) };
  }
}

/** Byte-wise (UTF-8) order, as the peer's state database sorts keys. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The caller's identity: an MSP id, Fabric CA attributes, and a real certificate from test/certs (its subject's OUs count). */
export class IdentityDouble implements ClientIdentity {
  private readonly pem: Buffer;

  constructor(
    private readonly mspId: string,
    private readonly attrs: Record<string, string> = {},
    certificate: 'client' | 'admin' | 'peer' | 'sneaky' = 'client',
  ) {
    this.pem = readFileSync(join(__dirname, '..', '..', 'test', 'certs', `${certificate}.pem`));
  }

  getMSPID(): string {
    return this.mspId;
  }

  getID(): string {
    const subject = new X509Certificate(this.pem).subject.split('\n').map((line) => `/${line}`).join('');
    return `x509::${subject}::${subject}`;
  }

  getIDBytes(): Uint8Array {
    return this.pem;
  }

  getAttributeValue(attrName: string): string | null {
    return Object.prototype.hasOwnProperty.call(this.attrs, attrName) ? this.attrs[attrName] : null;
  }

  assertAttributeValue(attrName: string, attrValue: string): boolean {
    return this.getAttributeValue(attrName) === attrValue;
  }
}

export const PRODUCER_ADMIN = new IdentityDouble('ProducerMSP', { 'provenance.role': 'admin' });
export const PRODUCER_OU_ADMIN = new IdentityDouble('ProducerMSP', {}, 'admin');
export const PRODUCER_CLIENT = new IdentityDouble('ProducerMSP', {}, 'client');
export const PRODUCER_RECORDER = new IdentityDouble('ProducerMSP', { 'provenance.role': 'recorder' }, 'peer');
export const PRODUCER_PEER = new IdentityDouble('ProducerMSP', {}, 'peer');
export const PRODUCER_SNEAKY = new IdentityDouble('ProducerMSP', {}, 'sneaky');
export const DISTRIBUTOR_CLIENT = new IdentityDouble('DistributorMSP', {}, 'client');
export const DISTRIBUTOR_ADMIN = new IdentityDouble('DistributorMSP', { 'provenance.role': 'admin' }, 'admin');

export interface TxOutcome<T> {
  result: T;
  event: { name: string; payload: unknown } | null;
  writes: number;
}

/** Committed world state and history; each invoke is one transaction that commits only when it succeeds. */
export class MemoryLedger {
  readonly state = new Map<string, Uint8Array>();
  readonly history = new Map<string, Iterators.KeyModification[]>();
  private txCount = 0;
  clock = new Date('2025-06-01T08:00:00.000Z');

  async invoke<T>(identity: ClientIdentity, fn: (ctx: Context) => Promise<T>): Promise<TxOutcome<T>> {
    this.txCount++;
    this.clock = new Date(this.clock.getTime() + 1000);
    const txId = `tx${String(this.txCount).padStart(4, '0')}`;
    const stub = new MemoryStub(this, txId, this.clock);
    const ctx = { stub, clientIdentity: identity } as unknown as Context;
    const result = await fn(ctx); // a throw leaves the ledger untouched, as a failed endorsement does
    const seconds = Math.floor(this.clock.getTime() / 1000);
    for (const [key, value] of stub.writes) {
      this.state.set(key, value);
      const versions = this.history.get(key) ?? [];
      versions.push({ isDelete: false, value, txId, timestamp: { seconds: Long.fromNumber(seconds, true), nanos: 0 } });
      this.history.set(key, versions);
    }
    const event = stub.event ? { name: stub.event.name, payload: JSON.parse(Buffer.from(stub.event.payload).toString('utf8')) as unknown } : null;
    return { result, event, writes: stub.writes.size };
  }
}

// ───────────────────────── gateway messages ─────────────────────────

export interface GatewayKey {
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function newGatewayKey(): GatewayKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const b64u = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Signs like Provenance.Core.Signing.CompactJws: ES256, R‖S, header {"alg":"ES256","kid":...}. */
export function signJws(payload: unknown, kid: string, key: KeyObject, header: Record<string, unknown> = { alg: 'ES256', kid }): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input, 'ascii'), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64u(signature)}`;
}

export const GTIN = '09506000134352';

export function digitalLink(serial: string, gtin = GTIN): string {
  return `https://id.example.com/01/${gtin}/21/${encodeURIComponent(serial)}?k=1&m=Zm9vYmFy`;
}

export interface EventSpec {
  eventId: string;
  serial: string;
  sealedAt?: string;
  tag?: string;
  seq?: number;
}

export function sealPayload(siteId: string, gatewayId: string, events: EventSpec[]): Record<string, unknown> {
  return {
    v: 1,
    site: siteId,
    gateway: gatewayId,
    sentAt: '2025-06-01T08:00:05.1234567+00:00',
    events: events.map((e, i) => ({
      eventId: e.eventId,
      tag: e.tag ?? digitalLink(e.serial),
      line: 'l1',
      sealedAt: e.sealedAt ?? `2025-06-01T08:00:0${i % 10}.000+00:00`,
      sealType: 'capsule',
      nfcUid: '04A224E2C31F80',
      seq: e.seq ?? 42 + i,
    })),
  };
}

export interface SealRecordInput {
  eventId: string;
  gtin: string;
  serial: string;
  gatewayId: string;
  siteId: string;
  jws: string;
  attestation?: Record<string, unknown>;
}

/**
 * The RecordSeals argument for these records, as the C# ledger engine sends it: each distinct message once, records
 * referring to it by index.
 */
export function compactBatch(records: SealRecordInput[]): SealBatch {
  const messages: string[] = [];
  const index = new Map<string, number>();
  return {
    messages,
    records: records.map(({ jws, ...rest }) => {
      let i = index.get(jws);
      if (i === undefined) {
        i = messages.push(jws) - 1;
        index.set(jws, i);
      }
      return { ...rest, message: i };
    }),
  };
}

/** One ledger record per event of a signed message (with its message inline; see compactBatch). */
export function recordsFor(jws: string, siteId: string, gatewayId: string, events: EventSpec[], gtin = GTIN): SealRecordInput[] {
  return events.map((e) => ({ eventId: e.eventId, gtin, serial: e.serial, gatewayId, siteId, jws, attestation: { insideGeofence: true, distanceM: 12.5 } }));
}
