import { createHash, createPublicKey, verify, KeyObject } from 'node:crypto';

/**
 * JWS compact serialisation (RFC 7515) with ES256 only, as the gateways sign (Provenance.Core.Signing.CompactJws):
 * header {"alg":"ES256","kid":"<gatewayId>"}, signature = 64-byte R‖S (IEEE P1363) over
 * ASCII(base64url(header) + "." + base64url(payload)) with the gateway's P-256 key.
 *
 * The rule set is the one the C# verifier applies, proven by the shared vectors in tests/vectors/jws-vectors.json:
 * canonical base64url (no padding, no whitespace, no stray bits); a header that is strict UTF-8 without a byte
 * order mark and one flat JSON object of string members, none twice (names compared after unescaping), only `alg`
 * (ES256), `kid` (a gateway id) and optionally `typ` (JOSE or JWT) — no `crit`, no embedded keys; a 64-byte
 * signature; a key that is exactly one SPKI PEM block of a P-256 key with an uncompressed point.
 */
export const ALGORITHM = 'ES256';

export interface DecodedJws {
  readonly kid: string;
  readonly payload: Buffer;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

export type Failure = { ok: false; code: string; error: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const GATEWAY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeBase64Url(part: string): Buffer | null {
  if (!BASE64URL.test(part) || part.length % 4 === 1) {
    return null;
  }
  const bytes = Buffer.from(part, 'base64url');
  // Refuse non-canonical encodings (stray bits in the last character): one token, one byte string.
  return bytes.toString('base64url') === part ? bytes : null;
}

const malformed = (error: string): Failure => ({ ok: false, code: 'malformed-jws', error });

/**
 * Reads a flat JSON object whose member values are all strings, refusing duplicate names. JSON.parse cannot be used
 * alone: it keeps the last of two equal names silently. Each string token is unescaped with JSON.parse.
 */
function readFlatObject(text: string): Map<string, string> | Failure {
  let i = 0;
  const skipWhitespace = () => {
    while (i < text.length && JSON_WHITESPACE.has(text.charCodeAt(i))) {
      i++;
    }
  };
  const readString = (): string | null => {
    if (text[i] !== '"') {
      return null;
    }
    let j = i + 1;
    while (j < text.length && text[j] !== '"') {
      j += text[j] === '\\' ? 2 : 1;
    }
    if (j >= text.length) {
      return null;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.slice(i, j + 1));
    } catch {
      return null;
    }
    i = j + 1;
    return typeof value === 'string' && !LONE_SURROGATE.test(value) ? value : null;
  };

  const members = new Map<string, string>();
  skipWhitespace();
  if (text[i] !== '{') {
    return malformed('JWS header is not a JSON object');
  }
  i++;
  skipWhitespace();
  if (text[i] === '}') {
    i++;
  } else {
    for (;;) {
      skipWhitespace();
      const name = readString();
      if (name === null) {
        return malformed('JWS header is not valid JSON (member name)');
      }
      skipWhitespace();
      if (text[i] !== ':') {
        return malformed('JWS header is not valid JSON (expected \':\')');
      }
      i++;
      skipWhitespace();
      const value = readString();
      if (value === null) {
        return malformed(`JWS header member '${name}' must be a string`);
      }
      if (members.has(name)) {
        return malformed(`JWS header has member '${name}' twice`);
      }
      members.set(name, value);
      skipWhitespace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        break;
      }
      return malformed('JWS header is not valid JSON (expected \',\' or \'}\')');
    }
  }
  skipWhitespace();
  return i === text.length ? members : malformed('JWS header has text after the JSON object');
}

/** Splits and decodes a compact JWS without checking the signature. */
export function decodeJws(compact: unknown): { ok: true; jws: DecodedJws } | Failure {
  if (typeof compact !== 'string' || compact.length === 0) {
    return malformed('jws must be a non-empty string');
  }
  const parts = compact.split('.');
  if (parts.length !== 3 || parts[0].length === 0) {
    return malformed('not a JWS compact serialisation (expected three base64url parts separated by \'.\')');
  }
  const headerBytes = decodeBase64Url(parts[0]);
  const payload = decodeBase64Url(parts[1]);
  const signature = decodeBase64Url(parts[2]);
  if (headerBytes === null || payload === null || signature === null) {
    return malformed('JWS part is not canonical base64url (no padding, whitespace or stray bits)');
  }
  let headerText: string;
  try {
    headerText = utf8.decode(headerBytes);
  } catch {
    return malformed('JWS header is not UTF-8');
  }
  // A byte order mark is kept by the decoder (ignoreBOM) and is not JSON whitespace, so the reader refuses it.
  const members = readFlatObject(headerText);
  if (!(members instanceof Map)) {
    return members;
  }
  const alg = members.get('alg');
  if (alg !== ALGORITHM) {
    return { ok: false, code: 'unsupported-alg', error: `JWS alg must be ${ALGORITHM}, got '${String(alg)}'` };
  }
  for (const name of members.keys()) {
    if (name !== 'alg' && name !== 'kid' && name !== 'typ') {
      return malformed(name === 'crit'
        ? 'JWS header has critical extensions (crit) this verifier does not understand'
        : `JWS header member '${name}' is not allowed (only alg, kid, typ)`);
    }
  }
  const kid = members.get('kid');
  if (kid === undefined || !GATEWAY_ID.test(kid)) {
    return malformed('JWS header kid must be a gateway id (1–64 characters a–z, 0–9, \'-\', \'_\')');
  }
  const typ = members.get('typ');
  if (typ !== undefined && typ !== 'JOSE' && typ !== 'JWT') {
    return malformed(`JWS header typ must be JOSE or JWT when present, got '${typ}'`);
  }
  if (signature.length !== 64) {
    return { ok: false, code: 'bad-signature', error: `ES256 signature must be 64 bytes (R‖S), got ${signature.length}` };
  }
  return {
    ok: true,
    jws: { kid, payload, signingInput: Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), signature },
  };
}

/** Checks the ES256 signature of a decoded token with a P-256 public key. */
export function verifyJws(jws: DecodedJws, key: KeyObject): boolean {
  try {
    return verify('sha256', jws.signingInput, { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  } catch {
    return false;
  }
}

export interface GatewayPublicKey {
  readonly key: KeyObject;
  /** The key re-exported as SPKI PEM (normalised). */
  readonly pem: string;
  /** base64url SHA-256 of the SPKI DER, first 16 characters (as Provenance.Core.Signing.GatewayKeys.Fingerprint). */
  readonly fingerprint: string;
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]*)-----END PUBLIC KEY-----/;

/**
 * Imports a gateway public key: exactly one PEM block 'PUBLIC KEY' (SPKI) of an EC key on the named curve P-256 with
 * an uncompressed point, in canonical DER (as Provenance.Core.Signing.GatewayKeys.ImportPublicKeyPem); the error
 * says what is wrong with it.
 */
export function importGatewayKey(pem: unknown): { ok: true; key: GatewayPublicKey } | Failure {
  const block = typeof pem === 'string' ? PEM_BLOCK.exec(pem) : null;
  if (typeof pem !== 'string' || block === null) {
    return { ok: false, code: 'bad-key', error: 'public key must be a PEM \'PUBLIC KEY\' (SPKI)' };
  }
  if (pem.split('-----BEGIN').length !== 2) {
    return { ok: false, code: 'bad-key', error: 'public key PEM must hold exactly one PEM block' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block[0], format: 'pem' });
  } catch (e) {
    return { ok: false, code: 'bad-key', error: `not a PEM public key: ${(e as Error).message}` };
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return { ok: false, code: 'bad-key', error: 'gateway keys must be EC P-256 (ES256)' };
  }
  // OpenSSL keeps a compressed point compressed on export; a round trip through JWK gives the canonical
  // uncompressed SPKI, which the PEM must be byte for byte.
  const der = createPublicKey({ key: key.export({ format: 'jwk' }), format: 'jwk' }).export({ type: 'spki', format: 'der' });
  if (!der.equals(Buffer.from(block[1].replace(/\s+/g, ''), 'base64'))) {
    return { ok: false, code: 'bad-key', error: 'gateway keys must be the canonical SPKI with an uncompressed point' };
  }
  return {
    ok: true,
    key: {
      key,
      pem: key.export({ type: 'spki', format: 'pem' }).toString(),
      fingerprint: createHash('sha256').update(der).digest('base64url').slice(0, 16),
    },
  };
}
