// Writes jws-vectors.json: the test vectors of the gateway JWS rule set that both verifiers run
// (Provenance.Core.Signing.CompactJws in the xunit tests, fabric-network/chaincode/src/jws.ts in the npm tests).
// Keys are fresh on every run, so re-running rewrites every token; the expectations stay the same.
// Usage: node tests/vectors/make-jws-vectors.mjs
import { generateKeyPairSync, sign, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const b64u = (b) => Buffer.from(b).toString('base64url');
const json = (o) => Buffer.from(JSON.stringify(o), 'utf8');
const N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (k) => k.export({ type: 'spki', format: 'pem' }).toString();
const KEY = pem(p256.publicKey);
const KID = 'gw-vec';
// 94 bytes: its base64url (126 characters) would need padding, so the padded-payload vector means something.
const PAYLOAD = json({ v: 1, site: 'plant-1', gateway: KID, sentAt: '2026-01-01T00:00:00Z', events: [], n: 12 });

function signInput(input, privateKey = p256.privateKey, dsaEncoding = 'ieee-p1363') {
  return sign('sha256', Buffer.from(input, 'ascii'), { key: privateKey, dsaEncoding });
}

/** A token over raw header bytes (any JSON text), signed correctly unless told otherwise. */
function token(headerBytes, payload = PAYLOAD, privateKey = p256.privateKey) {
  const input = `${b64u(headerBytes)}.${b64u(payload)}`;
  return `${input}.${b64u(signInput(input, privateKey))}`;
}

const header = (text) => Buffer.from(text, 'utf8');
const good = token(header(`{"alg":"ES256","kid":"${KID}"}`));
const [gh, gp, gs] = good.split('.');

function highS(compact) {
  const [h, p, s] = compact.split('.');
  const sig = Buffer.from(s, 'base64url');
  const sValue = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  const flipped = (N - sValue).toString(16).padStart(64, '0');
  return `${h}.${p}.${b64u(Buffer.concat([sig.subarray(0, 32), Buffer.from(flipped, 'hex')]))}`;
}

/** Changes the last base64url character so that the unused low bits are not zero (same bytes when decoded leniently). */
function strayBits(part) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const unused = { 2: 4, 3: 2 }[part.length % 4];
  const last = alphabet.indexOf(part[part.length - 1]);
  return part.slice(0, -1) + alphabet[last | ((1 << unused) - 1)];
}

const vectors = [];
const add = (name, jws, expect, publicKeyPem = KEY) => vectors.push({ name, jws, publicKeyPem, expect });

// Accepted.
add('ES256 with alg and kid', good, 'valid');
add('typ JOSE is allowed', token(header(`{"alg":"ES256","kid":"${KID}","typ":"JOSE"}`)), 'valid');
add('typ JWT is allowed', token(header(`{"typ":"JWT","kid":"${KID}","alg":"ES256"}`)), 'valid');
add('JSON whitespace in the header', token(header(`{ "alg" : "ES256",\r\n\t"kid":"${KID}" }`)), 'valid');
add('escaped member name that is not a duplicate', token(header(`{"\\u0061lg":"ES256","kid":"${KID}"}`)), 'valid');
add('high-S signature (ECDSA allows both S and n-S)', highS(good), 'valid');
add('empty payload part', token(header(`{"alg":"ES256","kid":"${KID}"}`), Buffer.alloc(0)), 'valid');

// Encoding of the compact serialisation.
add('empty string', '', 'malformed');
add('two parts', `${gh}.${gp}`, 'malformed');
add('four parts', `${good}.${gs}`, 'malformed');
add('empty header part', `.${gp}.${gs}`, 'malformed');
add('padded header (base64url with =)', `${gh}=.${gp}.${gs}`, 'malformed');
add('padded payload', `${gh}.${gp}${'='.repeat(4 - (gp.length % 4))}.${gs}`, 'malformed');
add('padded signature', `${gh}.${gp}.${gs}=`, 'malformed');
add('standard base64 alphabet (+ and /)', `${gh}.${gp.slice(0, -4)}+/${gp.slice(-2)}.${gs}`, 'malformed');
add('non-canonical last character of the signature', `${gh}.${gp}.${strayBits(gs)}`, 'malformed');
add('non-canonical last character of the header', `${strayBits(b64u(header(`{"alg":"ES256","kid":"${KID}" }`)))}.${gp}.${gs}`, 'malformed');
add('impossible base64url length (4n+1)', `${gh}A.${gp}.${gs}`, 'malformed');
add('line break inside the token', `${gh}.${gp.slice(0, 4)}\n${gp.slice(4)}.${gs}`, 'malformed');
add('space inside the token', `${gh}.${gp.slice(0, 4)} ${gp.slice(4)}.${gs}`, 'malformed');

// The protected header.
add('header is not JSON', token(header('not json')), 'malformed');
add('header is a JSON array', token(header(`["ES256","${KID}"]`)), 'malformed');
add('header is a JSON string', token(header('"ES256"')), 'malformed');
add('header with a UTF-8 byte order mark', token(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), header(`{"alg":"ES256","kid":"${KID}"}`)])), 'malformed');
add('header that is not UTF-8', token(Buffer.concat([header(`{"alg":"ES256","kid":"${KID}","typ":"`), Buffer.from([0xc3, 0x28]), header('"}')])), 'malformed');
add('header with text after the object', token(header(`{"alg":"ES256","kid":"${KID}"} x`)), 'malformed');
add('two header objects', token(header(`{"alg":"ES256","kid":"${KID}"}{}`)), 'malformed');
add('duplicate alg', token(header(`{"alg":"HS256","kid":"${KID}","alg":"ES256"}`)), 'malformed');
add('duplicate alg, same value', token(header(`{"alg":"ES256","kid":"${KID}","alg":"ES256"}`)), 'malformed');
add('duplicate alg through an escaped name', token(header(`{"alg":"ES256","kid":"${KID}","\\u0061lg":"ES256"}`)), 'malformed');
add('duplicate kid', token(header(`{"alg":"ES256","kid":"other","kid":"${KID}"}`)), 'malformed');
add('crit header', token(header(`{"alg":"ES256","kid":"${KID}","crit":["exp"],"exp":1}`)), 'malformed');
add('crit header, empty list', token(header(`{"alg":"ES256","kid":"${KID}","crit":[]}`)), 'malformed');
add('unknown member jwk (embedded key)', token(header(`{"alg":"ES256","kid":"${KID}","jwk":"x"}`)), 'malformed');
add('unknown member x5u', token(header(`{"alg":"ES256","kid":"${KID}","x5u":"https://example.com/k"}`)), 'malformed');
add('b64 false (RFC 7797)', token(header(`{"alg":"ES256","kid":"${KID}","b64":false}`)), 'malformed');
add('kid is a number', token(header('{"alg":"ES256","kid":7}')), 'malformed');
add('kid is missing', token(header('{"alg":"ES256"}')), 'malformed');
add('kid is empty', token(header('{"alg":"ES256","kid":""}')), 'malformed');
add('kid is not a gateway id (upper case)', token(header('{"alg":"ES256","kid":"GW-VEC"}')), 'malformed');
add('kid with a lone surrogate escape', token(header('{"alg":"ES256","kid":"gw\\ud800"}')), 'malformed');
add('kid longer than 64 characters', token(header(`{"alg":"ES256","kid":"${'g'.repeat(65)}"}`)), 'malformed');
add('typ other than JOSE or JWT', token(header(`{"alg":"ES256","kid":"${KID}","typ":"secevent+jwt"}`)), 'malformed');
add('nested object value', token(header(`{"alg":"ES256","kid":"${KID}","typ":{"a":"b"}}`)), 'malformed');
add('null member value', token(header(`{"alg":"ES256","kid":"${KID}","typ":null}`)), 'malformed');
add('trailing comma in the header', token(header(`{"alg":"ES256","kid":"${KID}",}`)), 'malformed');
add('comment in the header', token(header(`{"alg":"ES256",/* c */"kid":"${KID}"}`)), 'malformed');
add('single-quoted JSON', token(header(`{'alg':'ES256','kid':'${KID}'}`)), 'malformed');

// The algorithm.
add('alg none without a signature', `${b64u(header(`{"alg":"none","kid":"${KID}"}`))}.${gp}.`, 'unsupported_alg');
add('alg HS256', token(header(`{"alg":"HS256","kid":"${KID}"}`)), 'unsupported_alg');
add('alg ES384', token(header(`{"alg":"ES384","kid":"${KID}"}`)), 'unsupported_alg');
add('alg in lower case', token(header(`{"alg":"es256","kid":"${KID}"}`)), 'unsupported_alg');
add('alg missing', token(header(`{"kid":"${KID}"}`)), 'unsupported_alg');
add('alg is a number', token(header(`{"alg":256,"kid":"${KID}"}`)), 'malformed');

// The signature.
add('tampered payload', `${gh}.${b64u(json({ v: 1, site: 'plant-1', gateway: KID, sentAt: '2026-01-01T00:00:01Z', events: [] }))}.${gs}`, 'bad_signature');
add('signed by another key', token(header(`{"alg":"ES256","kid":"${KID}"}`), PAYLOAD, other.privateKey), 'bad_signature');
add('DER-encoded signature', `${gh}.${gp}.${b64u(signInput(`${gh}.${gp}`, p256.privateKey, 'der'))}`, 'bad_signature');
add('63-byte signature', `${gh}.${gp}.${b64u(Buffer.from(gs, 'base64url').subarray(1))}`, 'bad_signature');
add('65-byte signature', `${gh}.${gp}.${b64u(Buffer.concat([Buffer.from(gs, 'base64url'), Buffer.from([0])]))}`, 'bad_signature');
add('all-zero signature', `${gh}.${gp}.${b64u(Buffer.alloc(64))}`, 'bad_signature');
add('empty signature', `${gh}.${gp}.`, 'bad_signature');
add('S replaced by n (out of range)', `${gh}.${gp}.${b64u(Buffer.concat([Buffer.from(gs, 'base64url').subarray(0, 32), Buffer.from(N.toString(16), 'hex')]))}`, 'bad_signature');

// The registered key.
const keyVector = (name, keyPair, pemText) => add(name, token(header(`{"alg":"ES256","kid":"${KID}"}`), PAYLOAD, keyPair?.privateKey ?? p256.privateKey), 'bad_key', pemText ?? pem(keyPair.publicKey));
keyVector('P-384 key', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }));
keyVector('secp256k1 key (256 bits, not P-256)', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }));
keyVector('brainpoolP256r1 key (256 bits, not P-256)', generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }));
keyVector('RSA key', generateKeyPairSync('rsa', { modulusLength: 2048 }));
keyVector('Ed25519 key', null, pem(generateKeyPairSync('ed25519').publicKey));
const compressed = createPublicKey(KEY).export({ format: 'jwk' });
const point = Buffer.concat([Buffer.from([0x02 | (Buffer.from(compressed.y, 'base64url')[31] & 1)]), Buffer.from(compressed.x, 'base64url')]);
const spkiCompressed = Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), point]);
keyVector('P-256 key with a compressed point', null, `-----BEGIN PUBLIC KEY-----\n${spkiCompressed.toString('base64')}\n-----END PUBLIC KEY-----\n`);
keyVector('two PEM blocks', null, KEY + pem(other.publicKey));
keyVector('private key PEM instead of the public key', null, '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n');
keyVector('certificate instead of a public key', null, '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n');
keyVector('not PEM', null, 'ssh-ecdsa AAAA');

const out = {
  description: 'Gateway JWS rule set (README, Gateway protocol): one file run by Provenance.Core.Tests and the chaincode npm tests. '
    + 'For each vector: import publicKeyPem (failure: bad_key), decode jws (malformed or unsupported_alg), verify (bad_signature), else valid.',
  kid: KID,
  vectors,
};
writeFileSync(fileURLToPath(new URL('./jws-vectors.json', import.meta.url)), `${JSON.stringify(out, null, 2)}\n`);
console.log(`${vectors.length} vectors`);
