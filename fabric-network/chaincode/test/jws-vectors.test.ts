import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeJws, importGatewayKey, verifyJws } from '../src/jws';

// The vectors the C# verifier runs too (tests/Provenance.Core.Tests/Signing/JwsVectorTests.cs): one rule set.
// This file compiles to dist/test/, four levels below the repository root.
const file = resolve(__dirname, '..', '..', '..', '..', 'tests', 'vectors', 'jws-vectors.json');
const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: { name: string; jws: string; publicKeyPem: string; expect: string }[] };

function verdict(jws: string, publicKeyPem: string): string {
  const key = importGatewayKey(publicKeyPem);
  if (!key.ok) {
    return 'bad_key';
  }
  const decoded = decodeJws(jws);
  if (!decoded.ok) {
    return { 'unsupported-alg': 'unsupported_alg', 'bad-signature': 'bad_signature' }[decoded.code] ?? 'malformed';
  }
  return verifyJws(decoded.jws, key.key.key) ? 'valid' : 'bad_signature';
}

describe('shared JWS vectors (tests/vectors/jws-vectors.json)', () => {
  it('covers every verdict', () => {
    assert.deepEqual([...new Set(vectors.map((v) => v.expect))].sort(), ['bad_key', 'bad_signature', 'malformed', 'unsupported_alg', 'valid']);
    assert.ok(vectors.length >= 70, `only ${vectors.length} vectors`);
  });

  for (const vector of vectors) {
    it(`${vector.expect}: ${vector.name}`, () => {
      assert.equal(verdict(vector.jws, vector.publicKeyPem), vector.expect);
    });
  }
});
