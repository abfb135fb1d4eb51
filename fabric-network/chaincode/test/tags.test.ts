import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseGtin, parseTag } from '../src/tags';
import { canonicalJson, normaliseInstant } from '../src/contract';

const ok = (tag: string) => {
  const parsed = parseTag(tag);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.id;
};
const fails = (tag: unknown, pattern: RegExp) => {
  const parsed = parseTag(tag);
  assert.equal(parsed.ok, false, String(tag));
  if (!parsed.ok) {
    assert.match(parsed.error, pattern);
  }
};

describe('tags', () => {
  it('parses a GS1 Digital Link URI with MAC query, path prefix, lot qualifier and percent-encoding', () => {
    assert.deepEqual(ok('https://id.example.com/01/09506000134352/21/7KQ2M9XW4RTA?k=1&m=abc'), { gtin: '09506000134352', serial: '7KQ2M9XW4RTA' });
    assert.deepEqual(ok('https://example.com/brand/01/9506000134352/10/LOT1/21/A%2FB'), { gtin: '09506000134352', serial: 'A/B' });
  });

  it('parses element strings, plain and with parentheses', () => {
    assert.deepEqual(ok('0109506000134352217KQ2M9XW4RTA'), { gtin: '09506000134352', serial: '7KQ2M9XW4RTA' });
    assert.deepEqual(ok('(01)09506000134352(21)7KQ2M9XW4RTA'), { gtin: '09506000134352', serial: '7KQ2M9XW4RTA' });
  });

  it('refuses codes that are not tags', () => {
    fails('https://id.example.com/01/09506000134353/21/X', /not a valid GTIN/);
    fails('https://id.example.com/01/09506000134352', /no serial/);
    fails('https://id.example.com/21/X', /primary key/);
    fails('https://id.example.com/01/09506000134352/99/1/21/X', /unexpected key qualifier/);
    fails('https://id.example.com/01/09506000134352/21/X/21/Y', /more than one serial/);
    fails('https://id.example.com/01/09506000134352/21/ABCDEFGHIJKLMNOPQRSTU', /character set 82/);
    fails('https://id.example.com/01/09506000134352/21/%E2%82%AC', /character set 82/);
    fails('0109506000134353217KQ2', /check digit/);
    fails('0109506000134352', /neither/);
    fails('', /non-empty/);
    fails(42, /non-empty/);
  });

  it('normalises GTIN-8/12/13/14 and checks the check digit', () => {
    assert.equal(normaliseGtin('9506000134352'), '09506000134352');
    assert.equal(normaliseGtin('96385074'), '00000096385074');
    assert.equal(normaliseGtin('09506000134353'), null);
    assert.equal(normaliseGtin('0950600013435a'), null);
    assert.equal(normaliseGtin(9506000134352), null);
  });

  it('normalises ISO-8601 instants to UTC milliseconds and refuses dates without an offset', () => {
    assert.equal(normaliseInstant('2025-06-01T10:00:00.1234567+02:00'), '2025-06-01T08:00:00.123Z');
    assert.equal(normaliseInstant('2025-06-01T08:00:00Z'), '2025-06-01T08:00:00.000Z');
    assert.equal(normaliseInstant('2025-06-01T08:00:00'), null);
    assert.equal(normaliseInstant('2025-13-01T08:00:00Z'), null);
  });

  it('canonical JSON ignores key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: null }] }), canonicalJson({ a: [{ c: null, d: 2 }], b: 1 }));
  });
});
