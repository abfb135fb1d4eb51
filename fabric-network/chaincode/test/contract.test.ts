import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import {
  DEFAULT_OPTIONS, ProvenanceContract, SEALS_RECORDED_EVENT, optionsFromEnv, type GatewayRecord, type RecordSealsResult, type SealRecord,
  type TagRecordView,
} from '../src/contract';
import {
  DISTRIBUTOR_ADMIN, DISTRIBUTOR_CLIENT, GTIN, IdentityDouble, MemoryLedger, PRODUCER_ADMIN, PRODUCER_CLIENT, PRODUCER_OU_ADMIN,
  PRODUCER_PEER, PRODUCER_RECORDER, PRODUCER_SNEAKY, compactBatch, newGatewayKey, recordsFor, sealPayload, signJws,
  type EventSpec, type GatewayKey, type SealRecordInput,
} from './support';

const SITE = 'plant-1';
const GW = 'gw-1';
const INGESTION = PRODUCER_CLIENT; // User1@producer: a client certificate (OU=client) of the producer organisation

let ledger: MemoryLedger;
let contract: ProvenanceContract;
let key: GatewayKey;

async function register(gatewayId = GW, siteId = SITE, pem = key.publicKeyPem): Promise<GatewayRecord> {
  const { result } = await ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.RegisterGateway(ctx, gatewayId, siteId, pem));
  return JSON.parse(result) as GatewayRecord;
}

/** Records an array of records (sent as a compact batch), or a raw batch given as a string or object. */
async function record(batch: unknown, identity = INGESTION) {
  const wire = typeof batch === 'string' ? batch : JSON.stringify(Array.isArray(batch) ? compactBatch(batch as SealRecordInput[]) : batch);
  const outcome = await ledger.invoke(identity, (ctx) => contract.RecordSeals(ctx, wire));
  return { ...outcome, result: JSON.parse(outcome.result) as RecordSealsResult };
}

function sealed(events: EventSpec[], opts: { signer?: GatewayKey; kid?: string; site?: string; gateway?: string } = {}): SealRecordInput[] {
  const payload = sealPayload(opts.site ?? SITE, opts.gateway ?? GW, events);
  const jws = signJws(payload, opts.kid ?? GW, (opts.signer ?? key).privateKey);
  return recordsFor(jws, SITE, GW, events);
}

async function tagRecord(serial: string, gtin = GTIN): Promise<TagRecordView | null> {
  const { result } = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetTagRecord(ctx, gtin, serial));
  return JSON.parse(result) as TagRecordView | null;
}

function rejection(result: RecordSealsResult, index = 0) {
  assert.equal(result.stored.length, 0, `expected nothing stored, got ${JSON.stringify(result)}`);
  return result.rejected[index];
}

beforeEach(() => {
  ledger = new MemoryLedger();
  contract = new ProvenanceContract(DEFAULT_OPTIONS);
  key = newGatewayKey();
});

describe('gateway registry', () => {
  it('an admin (attribute provenance.role=admin) of ProducerMSP registers a gateway', async () => {
    const gw = await register();
    assert.equal(gw.gatewayId, GW);
    assert.equal(gw.siteId, SITE);
    assert.equal(gw.status, 'active');
    assert.equal(gw.keyVersion, 1);
    assert.match(gw.keyFingerprint, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(gw.updatedBy.mspId, 'ProducerMSP');
    const { result } = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetGateway(ctx, GW));
    assert.deepEqual(JSON.parse(result), gw);
  });

  it('an admin certificate (NodeOU OU=admin) of ProducerMSP may register too, unless that is switched off', async () => {
    await ledger.invoke(PRODUCER_OU_ADMIN, (ctx) => contract.RegisterGateway(ctx, 'gw-ou', SITE, key.publicKeyPem));
    const strict = new ProvenanceContract({ ...DEFAULT_OPTIONS, acceptNodeOuAdmin: false });
    await assert.rejects(ledger.invoke(PRODUCER_OU_ADMIN, (ctx) => strict.RegisterGateway(ctx, 'gw-ou2', SITE, key.publicKeyPem)), /access denied/);
  });

  it('refuses a non-admin identity of the producer MSP', async () => {
    await assert.rejects(
      ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.RegisterGateway(ctx, GW, SITE, key.publicKeyPem)),
      /access denied: managing gateways needs attribute provenance\.role=admin/);
    assert.equal(ledger.state.size, 0);
  });

  it('refuses an admin of an MSP that is not allowed, and accepts it once configured', async () => {
    await assert.rejects(
      ledger.invoke(DISTRIBUTOR_ADMIN, (ctx) => contract.RegisterGateway(ctx, GW, SITE, key.publicKeyPem)),
      /access denied: identities of MSP 'DistributorMSP'/);
    const both = new ProvenanceContract(optionsFromEnv({ PROVENANCE_ADMIN_MSPIDS: 'ProducerMSP, DistributorMSP' }));
    await ledger.invoke(DISTRIBUTOR_ADMIN, (ctx) => both.RegisterGateway(ctx, GW, SITE, key.publicKeyPem));
  });

  it('reads its options from the environment with safe defaults', () => {
    assert.deepEqual(optionsFromEnv({}), DEFAULT_OPTIONS);
    const o = optionsFromEnv({
      PROVENANCE_ADMIN_ACCEPT_OU: 'false', PROVENANCE_MAX_BATCH: '10', PROVENANCE_MAX_QUERY: 'x',
      PROVENANCE_RECORDER_MSPIDS: 'ProducerMSP,Bottler2MSP', PROVENANCE_RECORDER_ACCEPT_OU: 'FALSE',
    });
    assert.equal(o.acceptNodeOuAdmin, false);
    assert.deepEqual(o.recorderMspIds, ['ProducerMSP', 'Bottler2MSP']);
    assert.equal(o.acceptNodeOuRecorder, false);
    assert.equal(o.maxBatchSize, 10);
    assert.equal(o.maxQueryResults, DEFAULT_OPTIONS.maxQueryResults);
  });

  it('refuses a second registration, invalid ids and keys that are not P-256 SPKI PEM', async () => {
    await register();
    await assert.rejects(register(), /already registered/);
    await assert.rejects(register('GW Upper', SITE), /not a valid id/);
    await assert.rejects(register('gw-2', ''), /not a valid id/);
    await assert.rejects(register('gw-2', SITE, 'not a key'), /PEM/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await assert.rejects(register('gw-2', SITE, rsa), /P-256/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await assert.rejects(register('gw-2', SITE, p384), /P-256/);
  });

  it('GetGateway of an unknown gateway is null', async () => {
    const { result } = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetGateway(ctx, 'nope'));
    assert.equal(result, 'null');
  });

  it('rotation replaces the key: later seals need the new key, stored records stay, history keeps both versions', async () => {
    await register();
    const before = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    assert.deepEqual((await record(before)).result.stored, ['e1']);

    const next = newGatewayKey();
    await assert.rejects(ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.RotateGatewayKey(ctx, GW, next.publicKeyPem)), /access denied/);
    await assert.rejects(ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.RotateGatewayKey(ctx, GW, key.publicKeyPem)), /already has this key/);
    const { result } = await ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.RotateGatewayKey(ctx, GW, next.publicKeyPem));
    assert.equal((JSON.parse(result) as GatewayRecord).keyVersion, 2);

    const oldKey = await record(sealed([{ eventId: 'e2', serial: 'SER2' }]));
    assert.equal(rejection(oldKey.result).code, 'bad-signature');
    const newKey = await record(sealed([{ eventId: 'e2', serial: 'SER2' }], { signer: next }));
    assert.deepEqual(newKey.result.stored, ['e2']);
    assert.equal((await tagRecord('SER1'))?.keyVersion, 1);
    assert.equal((await tagRecord('SER2'))?.keyVersion, 2);

    const history = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetGatewayHistory(ctx, GW));
    const versions = JSON.parse(history.result) as { value: GatewayRecord }[];
    assert.deepEqual(versions.map((v) => v.value.keyVersion), [1, 2]);
  });

  it('revocation refuses the gateway\'s seals, keeps stored records, and is final', async () => {
    await register();
    await record(sealed([{ eventId: 'e1', serial: 'SER1' }]));
    await assert.rejects(ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.RevokeGateway(ctx, GW, 'stolen')), /access denied/);
    const { result } = await ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.RevokeGateway(ctx, GW, 'stolen'));
    const revoked = JSON.parse(result) as GatewayRecord;
    assert.equal(revoked.status, 'revoked');
    assert.equal(revoked.revocationReason, 'stolen');

    const refused = await record(sealed([{ eventId: 'e2', serial: 'SER2' }]));
    assert.equal(rejection(refused.result).code, 'revoked-gateway');
    assert.ok(await tagRecord('SER1'));

    const again = await ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.RevokeGateway(ctx, GW, 'again'));
    assert.equal(again.writes, 0);
    await assert.rejects(ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.RotateGatewayKey(ctx, GW, newGatewayKey().publicKeyPem)), /revoked/);
    await assert.rejects(register(), /was revoked/);
    await assert.rejects(ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.RevokeGateway(ctx, 'nope', '')), /not registered/);
  });

  it('moving a gateway to another site makes seals claiming the old site fail', async () => {
    await register();
    await ledger.invoke(PRODUCER_ADMIN, (ctx) => contract.MoveGateway(ctx, GW, 'plant-2'));
    const result = await record(sealed([{ eventId: 'e1', serial: 'SER1' }]));
    assert.equal(rejection(result.result).code, 'site-mismatch');
    const moved = sealed([{ eventId: 'e1', serial: 'SER1' }], { site: 'plant-2' }).map((r) => ({ ...r, siteId: 'plant-2' }));
    assert.deepEqual((await record(moved)).result.stored, ['e1']);
  });
});

describe('RecordSeals', () => {
  beforeEach(async () => {
    await register();
  });

  it('is for recorders of the producer organisation: a client or admin certificate, or attribute provenance.role=recorder', async () => {
    for (const [who, identity] of [['client', PRODUCER_CLIENT], ['admin', PRODUCER_OU_ADMIN], ['recorder attribute', PRODUCER_RECORDER]] as const) {
      const id = who.slice(0, 3);
      const { result } = await record(sealed([{ eventId: `e-${id}`, serial: `SER-${id}` }]), identity);
      assert.deepEqual(result.stored, [`e-${id}`], who);
    }
  });

  it('refuses another organisation, the producer\'s peers, and a CN that only pretends to be OU=admin', async () => {
    const batch = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    await assert.rejects(record(batch, DISTRIBUTOR_CLIENT), /access denied: identities of MSP 'DistributorMSP' may not record seals/);
    await assert.rejects(record(batch, DISTRIBUTOR_ADMIN), /access denied: identities of MSP 'DistributorMSP'/);
    await assert.rejects(record(batch, PRODUCER_PEER), /access denied: recording seals needs attribute provenance\.role=recorder/);
    const strict = new ProvenanceContract({ ...DEFAULT_OPTIONS, acceptNodeOuRecorder: false });
    await assert.rejects(
      ledger.invoke(PRODUCER_CLIENT, (ctx) => strict.RecordSeals(ctx, JSON.stringify(compactBatch(batch)))), /access denied: recording seals/);
    await assert.rejects(ledger.invoke(PRODUCER_SNEAKY, (ctx) => contract.RegisterGateway(ctx, 'gw-9', SITE, key.publicKeyPem)), /access denied/);
    assert.equal(await tagRecord('SER1'), null);
  });

  it('stores each event of a verified batch under its tag, emits one SealsRecorded event, keeps the message once', async () => {
    const events = [{ eventId: 'e1', serial: 'SER1' }, { eventId: 'e2', serial: 'SER2' }, { eventId: 'e3', serial: 'SER3' }];
    const batch = sealed(events);
    const { result, event } = await record(batch);
    assert.deepEqual(result, { stored: ['e1', 'e2', 'e3'], duplicates: [], rejected: [] });
    assert.ok(event);
    assert.equal(event.name, SEALS_RECORDED_EVENT);
    const payload = event.payload as { txId: string; stored: { eventId: string; gtin: string; serial: string }[] };
    assert.match(payload.txId, /^tx\d+$/);
    assert.deepEqual(payload.stored[0], { eventId: 'e1', gtin: GTIN, serial: 'SER1' });
    assert.equal(payload.stored.length, 3);

    const stored = await tagRecord('SER2');
    assert.ok(stored);
    assert.equal(stored.eventId, 'e2');
    assert.equal(stored.event?.nfcUid, '04A224E2C31F80');
    assert.equal(stored.event?.seq, 43);
    assert.match(stored.eventHash, /^[0-9a-f]{64}$/);
    assert.equal(stored.sealedAt, '2025-06-01T08:00:01.000Z');
    assert.equal(stored.sentAt, '2025-06-01T08:00:05.123Z');
    assert.deepEqual(stored.attestation, { insideGeofence: true, distanceM: 12.5 });
    assert.equal(stored.jws, batch[1].jws);
    const messages = [...ledger.state.keys()].filter((k) => k.startsWith('\x00msg\x00'));
    assert.equal(messages.length, 1, 'the batch message is stored once, not per record');
    const tagValue = JSON.parse(Buffer.from(ledger.state.get([...ledger.state.keys()].find((k) => k.startsWith('\x00tag\x00') && k.includes('SER2')) as string) as Uint8Array).toString()) as Record<string, unknown>;
    assert.equal(tagValue.event, undefined, 'the signed event is not copied into the tag record: the message holds it');
    const msg = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetSealMessage(ctx, stored.messageHash));
    assert.equal(JSON.parse(msg.result), stored.jws);
  });

  it('an identical re-submission is a no-op reported as duplicates, with no writes and no event', async () => {
    const batch = sealed([{ eventId: 'e1', serial: 'SER1' }, { eventId: 'e2', serial: 'SER2' }]);
    await record(batch);
    const again = await record(batch);
    assert.deepEqual(again.result, { stored: [], duplicates: ['e1', 'e2'], rejected: [] });
    assert.equal(again.writes, 0);
    assert.equal(again.event, null);
  });

  it('the same signed event re-sent in another message (store-and-forward) is a duplicate, not a conflict', async () => {
    await record(sealed([{ eventId: 'e1', serial: 'SER1' }]));
    const resent = sealed([{ eventId: 'e0', serial: 'SER0' }, { eventId: 'e1', serial: 'SER1', sealedAt: '2025-06-01T08:00:00.000+00:00', seq: 42 }]);
    const { result } = await record(resent);
    assert.deepEqual(result.duplicates, ['e1']);
    assert.deepEqual(result.stored, ['e0']);
  });

  it('a record repeated within one batch is stored once and then reported as a duplicate', async () => {
    const [one] = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    const { result } = await record([one, one]);
    assert.deepEqual(result, { stored: ['e1'], duplicates: ['e1'], rejected: [] });
  });

  it('a different event for an already sealed tag is rejected as a conflict and the first record stays', async () => {
    await record(sealed([{ eventId: 'e1', serial: 'SER1' }]));
    const { result, event } = await record(sealed([{ eventId: 'e9', serial: 'SER1' }]));
    const r = rejection(result);
    assert.equal(r.code, 'conflict');
    assert.equal(r.eventId, 'e9');
    assert.match(r.reason, /already sealed by event 'e1'/);
    assert.equal(event, null);
    assert.equal((await tagRecord('SER1'))?.eventId, 'e1');
  });

  it('two events for one tag in the same batch: the first is stored, the second is a conflict', async () => {
    const { result } = await record(sealed([{ eventId: 'e1', serial: 'SER1' }, { eventId: 'e2', serial: 'SER1' }]));
    assert.deepEqual(result.stored, ['e1']);
    assert.equal(result.rejected[0].code, 'conflict');
    assert.equal(result.rejected[0].index, 1);
  });

  it('an event id already recorded for another tag, or with other content, is a conflict', async () => {
    await record(sealed([{ eventId: 'e1', serial: 'SER1' }]));
    const otherTag = await record(sealed([{ eventId: 'e1', serial: 'SER2' }]));
    assert.equal(rejection(otherTag.result).code, 'conflict');
    assert.match(otherTag.result.rejected[0].reason, /already recorded for tag/);
    const otherContent = await record(sealed([{ eventId: 'e1', serial: 'SER1', seq: 7 }]));
    assert.equal(rejection(otherContent.result).code, 'conflict');
    assert.match(otherContent.result.rejected[0].reason, /different content/);
  });

  it('rejects a bad signature: tampered payload, another key, DER-encoded signature', async () => {
    const [good] = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    const [h, , s] = good.jws.split('.');
    const forgedPayload = Buffer.from(JSON.stringify(sealPayload(SITE, GW, [{ eventId: 'e1', serial: 'SER1', seq: 1 }]))).toString('base64url');
    const tampered = await record([{ ...good, jws: `${h}.${forgedPayload}.${s}` }]);
    assert.equal(rejection(tampered.result).code, 'bad-signature');

    const otherKey = await record(sealed([{ eventId: 'e1', serial: 'SER1' }], { signer: newGatewayKey() }));
    assert.equal(rejection(otherKey.result).code, 'bad-signature');

    const [hh, pp] = good.jws.split('.');
    const der = sign('sha256', Buffer.from(`${hh}.${pp}`, 'ascii'), { key: key.privateKey, dsaEncoding: 'der' }).toString('base64url');
    const derResult = await record([{ ...good, jws: `${hh}.${pp}.${der}` }]);
    assert.equal(rejection(derResult.result).code, 'bad-signature');
    assert.match(derResult.result.rejected[0].reason, /64 bytes/);
  });

  it('rejects a JWS whose kid is not the record\'s gateway', async () => {
    const { result } = await record(sealed([{ eventId: 'e1', serial: 'SER1' }], { kid: 'gw-2' }));
    assert.equal(rejection(result).code, 'kid-mismatch');
  });

  it('rejects every alg other than ES256 (HS256, none, ES384)', async () => {
    for (const alg of ['HS256', 'none', 'ES384']) {
      const payload = sealPayload(SITE, GW, [{ eventId: 'e1', serial: 'SER1' }]);
      const jws = signJws(payload, GW, key.privateKey, { alg, kid: GW });
      const { result } = await record(recordsFor(jws, SITE, GW, [{ eventId: 'e1', serial: 'SER1' }]));
      assert.equal(rejection(result).code, 'unsupported-alg', alg);
    }
    const noneUnsigned = `${Buffer.from('{"alg":"none","kid":"gw-1"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    const { result } = await record(recordsFor(noneUnsigned, SITE, GW, [{ eventId: 'e1', serial: 'SER1' }]));
    assert.equal(rejection(result).code, 'unsupported-alg');
  });

  it('rejects a malformed JWS', async () => {
    const [good] = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    const parts = good.jws.split('.');
    for (const jws of ['', 'abc', `${parts[0]}.${parts[1]}`, `${parts[0]}.${parts[1]}.${parts[2]}.x`, `${parts[0]}.${parts[1]}+.${parts[2]}`,
      `${Buffer.from('not json').toString('base64url')}.${parts[1]}.${parts[2]}`]) {
      const { result } = await record([{ ...good, jws }]);
      assert.equal(rejection(result).code, 'malformed-jws', jws);
    }
  });

  it('rejects a wrong site: record vs registry, and signed payload vs record', async () => {
    const [good] = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    const recordSite = await record([{ ...good, siteId: 'plant-9' }]);
    assert.equal(rejection(recordSite.result).code, 'site-mismatch');
    assert.match(recordSite.result.rejected[0].reason, /registered at site 'plant-1'/);
    const payloadSite = await record(sealed([{ eventId: 'e1', serial: 'SER1' }], { site: 'plant-9' }));
    assert.equal(rejection(payloadSite.result).code, 'site-mismatch');
    assert.match(payloadSite.result.rejected[0].reason, /payload site/);
  });

  it('rejects a signed payload that names another gateway', async () => {
    const { result } = await record(sealed([{ eventId: 'e1', serial: 'SER1' }], { gateway: 'gw-2' }));
    assert.equal(rejection(result).code, 'gateway-mismatch');
  });

  it('rejects an unknown gateway', async () => {
    const other = newGatewayKey();
    const payload = sealPayload(SITE, 'gw-x', [{ eventId: 'e1', serial: 'SER1' }]);
    const jws = signJws(payload, 'gw-x', other.privateKey);
    const { result } = await record(recordsFor(jws, SITE, 'gw-x', [{ eventId: 'e1', serial: 'SER1' }]));
    assert.equal(rejection(result).code, 'unknown-gateway');
  });

  it('rejects a record whose gtin or serial is not what the signed tag denotes', async () => {
    const [good] = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    const serial = await record([{ ...good, serial: 'SER2' }]);
    assert.equal(rejection(serial.result).code, 'tag-mismatch');
    const gtin = await record([{ ...good, gtin: '04006381333931' }]);
    assert.equal(rejection(gtin.result).code, 'tag-mismatch');
    const badTag = await record(sealed([{ eventId: 'e1', serial: 'SER1', tag: 'https://id.example.com/01/09506000134353/21/SER1' }]));
    assert.equal(rejection(badTag.result).code, 'malformed-tag');
  });

  it('accepts a tag as GS1 element string and a GTIN-13 in the record', async () => {
    const events = [{ eventId: 'e1', serial: 'SER1', tag: `01${GTIN}21SER1` }];
    const jws = signJws(sealPayload(SITE, GW, events), GW, key.privateKey);
    const { result } = await record(recordsFor(jws, SITE, GW, events, GTIN.slice(1)));
    assert.deepEqual(result.stored, ['e1']);
    assert.equal((await tagRecord('SER1', GTIN.slice(1)))?.gtin, GTIN);
  });

  it('rejects a record whose event is not in the signed message', async () => {
    const [good] = sealed([{ eventId: 'e1', serial: 'SER1' }]);
    const { result } = await record([{ ...good, eventId: 'e2' }]);
    assert.equal(rejection(result).code, 'event-not-found');
  });

  it('fails the transaction for a batch that is not a {messages, records} object or too large', async () => {
    await assert.rejects(record('{not json'), /batch is not valid JSON/);
    await assert.rejects(record({ eventId: 'e1' }), /must be a JSON object \{"messages"/);
    await assert.rejects(record('[]'), /must be a JSON object/);
    await assert.rejects(record({ messages: 'x', records: [] }), /must be a JSON object/);
    const small = new ProvenanceContract({ ...DEFAULT_OPTIONS, maxBatchSize: 1 });
    const batch = compactBatch(sealed([{ eventId: 'e1', serial: 'SER1' }, { eventId: 'e2', serial: 'SER2' }]));
    await assert.rejects(ledger.invoke(INGESTION, (ctx) => small.RecordSeals(ctx, JSON.stringify(batch))), /at most 1 of each per transaction/);
    const empty = await record([]);
    assert.deepEqual(empty.result, { stored: [], duplicates: [], rejected: [] });
    assert.equal(empty.event, null);
  });

  it('rejects malformed records one by one with their index', async () => {
    const { messages, records: [good] } = compactBatch(sealed([{ eventId: 'e1', serial: 'SER1' }]));
    const bad: unknown[] = [
      null, 'x', [], { ...good, eventId: '' }, { ...good, gtin: '09506000134353' }, { ...good, serial: 'has space' },
      { ...good, gatewayId: 'GW' }, { ...good, message: 1 }, { ...good, message: -1 }, { ...good, message: '0' }, { ...good, message: 2 },
      { ...good, attestation: [1] },
    ];
    const { result } = await record({ messages: [...messages, 42], records: [...bad, good] });
    assert.deepEqual(result.stored, ['e1']);
    assert.equal(result.rejected.length, bad.length);
    result.rejected.forEach((r, i) => {
      assert.equal(r.index, i);
      assert.equal(r.code, 'malformed-record');
    });
    assert.equal(result.rejected[3].eventId, '');
    assert.equal(result.rejected[0].eventId, null);
  });

  it('a mixed batch stores the good records and the event lists only those', async () => {
    const good = sealed([{ eventId: 'e1', serial: 'SER1' }, { eventId: 'e2', serial: 'SER2' }]);
    const forged = sealed([{ eventId: 'e3', serial: 'SER3' }], { signer: newGatewayKey() });
    const { result, event } = await record([good[0], forged[0], good[1]]);
    assert.deepEqual(result.stored, ['e1', 'e2']);
    assert.deepEqual(result.rejected.map((r) => [r.index, r.eventId, r.code]), [[1, 'e3', 'bad-signature']]);
    assert.deepEqual((event?.payload as { stored: { eventId: string }[] }).stored.map((s) => s.eventId), ['e1', 'e2']);
  });

  it('rejects an event without a valid sealedAt', async () => {
    const events = [{ eventId: 'e1', serial: 'SER1', sealedAt: 'yesterday' }];
    const { result } = await record(sealed(events));
    assert.equal(rejection(result).code, 'malformed-event');
  });
});

describe('queries', () => {
  beforeEach(async () => {
    await register();
    await register('gw-2', SITE, newGatewayKey().publicKeyPem);
  });

  it('GetGatewayRecords returns the gateway\'s records with sealedAt in [from, to], in time order', async () => {
    const events = [
      { eventId: 'e3', serial: 'SER3', sealedAt: '2025-06-01T10:00:00+02:00' }, // 08:00:00Z
      { eventId: 'e1', serial: 'SER1', sealedAt: '2025-06-01T07:59:59.999Z' },
      { eventId: 'e2', serial: 'SER2', sealedAt: '2025-06-01T08:30:00.5Z' },
      { eventId: 'e4', serial: 'SER4', sealedAt: '2025-06-01T09:00:00.001Z' },
    ];
    await record(sealed(events));
    const query = async (from: string, to: string) => {
      const { result } = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetGatewayRecords(ctx, GW, from, to));
      return (JSON.parse(result) as SealRecord[]).map((r) => r.eventId);
    };
    assert.deepEqual(await query('2025-06-01T08:00:00Z', '2025-06-01T09:00:00Z'), ['e3', 'e2']);
    assert.deepEqual(await query('2025-06-01T00:00:00Z', '2025-06-02T00:00:00Z'), ['e1', 'e3', 'e2', 'e4']);
    assert.deepEqual(await query('2025-06-01T08:30:00.500Z', '2025-06-01T08:30:00.500Z'), ['e2']);
    const other = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetGatewayRecords(ctx, 'gw-2', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'));
    assert.equal(other.result, '[]');
    await assert.rejects(query('2025-06-02T00:00:00Z', '2025-06-01T00:00:00Z'), /after/);
    await assert.rejects(query('2025-06-01', '2025-06-02T00:00:00Z'), /ISO-8601/);
    const capped = new ProvenanceContract({ ...DEFAULT_OPTIONS, maxQueryResults: 2 });
    await assert.rejects(
      ledger.invoke(PRODUCER_CLIENT, (ctx) => capped.GetGatewayRecords(ctx, GW, '2025-06-01T00:00:00Z', '2025-06-02T00:00:00Z')),
      /narrower range/);
  });

  it('GetTagHistory lists the versions of a tag\'s record with their transactions', async () => {
    const { result: recorded } = await ledger.invoke(INGESTION, (ctx) => contract.RecordSeals(ctx, JSON.stringify(compactBatch(sealed([{ eventId: 'e1', serial: 'SER1' }])))));
    assert.deepEqual((JSON.parse(recorded) as RecordSealsResult).stored, ['e1']);
    const { result } = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetTagHistory(ctx, GTIN, 'SER1'));
    const history = JSON.parse(result) as { txId: string; timestamp: string; isDelete: boolean; value: SealRecord }[];
    assert.equal(history.length, 1);
    assert.equal(history[0].value.eventId, 'e1');
    assert.equal(history[0].txId, history[0].value.txId);
    assert.match(history[0].timestamp, /^\d{4}-\d{2}-\d{2}T/);
    const none = await ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetTagHistory(ctx, GTIN, 'NOPE'));
    assert.equal(none.result, '[]');
  });

  it('GetTagRecord is null for a tag never sealed and refuses an invalid GTIN or serial', async () => {
    assert.equal(await tagRecord('NEVER'), null);
    await assert.rejects(ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetTagRecord(ctx, '123', 'SER1')), /not a valid GTIN/);
    await assert.rejects(ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetTagRecord(ctx, GTIN, 'bad serial')), /serial/);
    await assert.rejects(ledger.invoke(PRODUCER_CLIENT, (ctx) => contract.GetSealMessage(ctx, 'xyz')), /hex/);
  });

  it('queries need no admin role', async () => {
    const stranger = new IdentityDouble('DistributorMSP', {}, 'peer');
    const { result } = await ledger.invoke(stranger, (ctx) => contract.GetGateway(ctx, GW));
    assert.equal((JSON.parse(result) as GatewayRecord).gatewayId, GW);
  });
});
