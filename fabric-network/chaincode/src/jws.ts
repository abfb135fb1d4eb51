import { createHash, createPublicKey, verify, KeyObject } from 'node:crypto';

/**
 * JWS compact serialisation (RFC 7515) with ES256 only, as the gateways sign (Provenance.Core.Signing.CompactJws):
 * header {"alg":"ES256","kid":"<gatewayId>"}, signature = 64-byte R‖S (IEEE P1363) over
 * ASCII(base64url(header) + "." + base64url(payload)) with the gateway's P-256 key.
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

function decodeBase64Url(part: string): Buffer | null {
  if (!BASE64URL.test(part) || part.length % 4 === 1) {
    return null;
  }
  const bytes = Buffer.from(part, 'base64url');
  // Refuse non-canonical encodings (stray bits in the last character): one token, one byte string.
  return bytes.toString('base64url') === part ? bytes : null;
}

/** Splits and decodes a compact JWS without checking the signature. */
export function decodeJws(compact: unknown): { ok: true; jws: DecodedJws } | Failure {
  if (typeof compact !== 'string' || compact.length === 0) {
    return { ok: false, code: 'malformed-jws', error: 'jws must be a non-empty string' };
  }
  const parts = compact.split('.');
  if (parts.length !== 3 || parts[0].length === 0) {
    return { ok: false, code: 'malformed-jws', error: 'not a JWS compact serialisation (expected three base64url parts separated by \'.\')' };
  }
  const headerBytes = decodeBase64Url(parts[0]);
  const payload = decodeBase64Url(parts[1]);
  const signature = decodeBase64Url(parts[2]);
  if (headerBytes === null || payload === null || signature === null) {
    return { ok: false, code: 'malformed-jws', error: 'JWS part is not valid base64url' };
  }
  let header: unknown;
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch (e) {
    return { ok: false, code: 'malformed-jws', error: `JWS header is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return { ok: false, code: 'malformed-jws', error: 'JWS header is not a JSON object' };
  }
  const { alg, kid, crit } = header as Record<string, unknown>;
  if (alg !== ALGORITHM) {
    return { ok: false, code: 'unsupported-alg', error: `JWS alg must be ${ALGORITHM}, got '${String(alg)}'` };
  }
  if (crit !== undefined) {
    return { ok: false, code: 'malformed-jws', error: 'JWS header has critical extensions (crit) this verifier does not understand' };
  }
  if (typeof kid !== 'string' || kid.length === 0) {
    return { ok: false, code: 'malformed-jws', error: 'JWS header has no kid' };
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

/** Imports a P-256 public key from SPKI PEM; the error says what is wrong with it. */
export function importGatewayKey(pem: unknown): { ok: true; key: GatewayPublicKey } | Failure {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN PUBLIC KEY-----')) {
    return { ok: false, code: 'bad-key', error: 'public key must be a PEM \'PUBLIC KEY\' (SPKI)' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    return { ok: false, code: 'bad-key', error: `not a PEM public key: ${(e as Error).message}` };
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return { ok: false, code: 'bad-key', error: 'gateway keys must be EC P-256 (ES256)' };
  }
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    ok: true,
    key: {
      key,
      pem: key.export({ type: 'spki', format: 'pem' }).toString(),
      fingerprint: createHash('sha256').update(der).digest('base64url').slice(0, 16),
    },
  };
}
