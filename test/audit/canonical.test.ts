import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { canonicalJson, jsonSafeNumber, keysSorted, sha256Hex } from '../../src/audit/canonical';
import { hashRecord, sealRecord, verifyChainStream } from '../../src/audit/chain';
import { serializeRecord } from '../../src/audit/log';
import { GENESIS_PREV } from '../../src/audit/types';
import { fields, fieldsArb, linesOf, MODEL } from './fixtures';

/**
 * The hash rule of SPEC section 7, written from the spec alone, as anyone re-verifying a log
 * would: sorted keys at every level, no whitespace, JSON.stringify for strings and numbers.
 */
function independentCanon(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(independentCanon).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + independentCanon(o[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}
function independentHash(recordWithoutHash: Record<string, unknown>): string {
  return 'sha256:' + createHash('sha256').update(independentCanon(recordWithoutHash), 'utf8').digest('hex');
}

describe('the hash rule', () => {
  it('agrees with an independent re-implementation on generated records', () => {
    fc.assert(
      fc.property(fieldsArb, fc.option(fc.record({ seq: fc.integer({ min: 1, max: 1e6 }), hash: fc.constant('sha256:' + 'ab'.repeat(32)) })), (f, prev) => {
        const sealed = sealRecord(f, prev ?? undefined);
        // Computed from the caller's fields, not from what sealRecord returned.
        const expected = independentHash({ ...f, seq: prev ? prev.seq + 1 : 1, prev: prev ? prev.hash : GENESIS_PREV });
        expect(sealed.hash).toBe(expected);
        const { hash: _h, ...body } = sealed;
        expect(hashRecord(body)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('hashes floats in their shortest round-trip form (0.1, 1e21, -0 → 0)', () => {
    const r = sealRecord(fields({ evidence: { metrics: { a: 0.1, b: 1e21, c: -0, d: 1e-7, e: 'NaN' } } }));
    expect(serializeRecord(r)).toContain('"evidence":{"metrics":{"a":0.1,"b":1e+21,"c":0,"d":1e-7,"e":"NaN"}}');
    expect(r.hash).toBe(independentHash({ ...fields({ evidence: { metrics: { a: 0.1, b: 1e21, c: 0, d: 1e-7, e: 'NaN' } } }), seq: 1, prev: GENESIS_PREV }));
  });

  it('starts a chain at seq 1 with the genesis prev, and continues one', () => {
    const first = sealRecord(fields());
    expect(first.seq).toBe(1);
    expect(first.prev).toBe('sha256:' + '0'.repeat(64));
    const second = sealRecord(fields({ version: 4 }), first);
    expect(second.seq).toBe(2);
    expect(second.prev).toBe(first.hash);
  });

  it('drops undefined members, so the sealed record is exactly what is written and hashed', () => {
    const r = sealRecord({ ...fields(), reason: undefined, source: { commit: undefined, pr: 42 } });
    expect('reason' in r).toBe(false);
    expect(r.source).toEqual({ pr: 42 });
    expect(JSON.parse(serializeRecord(r))).toEqual(r);
  });
});

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units (RFC 8785), where code-point order would differ', () => {
    // U+FB01 is after the surrogates of U+1F600 in UTF-16 order, before it in code-point order.
    expect(canonicalJson({ '\uFB01': 1, '😀': 2, a: 3 })).toBe('{"a":3,"😀":2,"ﬁ":1}');
  });

  it('refuses what JSON cannot represent, naming where it is', () => {
    expect(() => canonicalJson({ evidence: { metrics: { auc: NaN } } })).toThrow(/\$\.evidence\.metrics\.auc is NaN.*jsonSafeNumber/);
    expect(() => canonicalJson({ a: [1, Infinity] })).toThrow(/\$\.a\[1\] is Infinity/);
    expect(() => canonicalJson({ a: [1, undefined] })).toThrow(/\$\.a\[1\] is undefined/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson({ a: '\uD800' })).toThrow(/cannot canonicalize JSON: .*surrogate/i);
    expect(() => canonicalJson(undefined)).toThrow(/undefined/);
  });

  it('maps non-finite metric values to the strings records store', () => {
    expect([NaN, Infinity, -Infinity, 0.5].map(jsonSafeNumber)).toEqual(['NaN', 'Infinity', '-Infinity', 0.5]);
  });

  it('hashes text as UTF-8', () => {
    expect(sha256Hex('é')).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
  });
});

describe('the fast canonical check used by verify', () => {
  it('is sound: text it takes for canonical (sorted keys, JSON.stringify round trip) is what the library produces', () => {
    // Integer-like keys are where it declines (V8 lists them first): the library decides those.
    const texts = (v: unknown) => [canonicalJson(v), JSON.stringify(v), JSON.stringify(v, null, 1)];
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const text of texts(v)) {
          const parsed: unknown = JSON.parse(text);
          const fast = !text.includes('\\u') && keysSorted(parsed) && JSON.stringify(parsed) === text;
          if (fast) expect(text).toBe(canonicalJson(parsed));
        }
      }),
      { numRuns: 500 },
    );
    expect(keysSorted(JSON.parse('{"b":1,"a":2}'))).toBe(false);
    expect(keysSorted(JSON.parse('{"a":[{"d":1,"c":2}]}'))).toBe(false);
  });

  it('accepts every sealed record and rejects reformatted or reordered lines of the same content', async () => {
    await fc.assert(
      fc.asyncProperty(fieldsArb, async (f) => {
        const r = sealRecord(f);
        const line = serializeRecord(r);
        const ok = await verifyChainStream(linesOf(line), MODEL, 'log', () => undefined);
        expect(ok.problems).toEqual([]);
        const { hash, ...rest } = r;
        const reordered = JSON.stringify({ hash, ...rest }); // same content, hash key first
        const bad = await verifyChainStream(linesOf(reordered), MODEL, 'log', () => undefined);
        expect(bad.problems.map((p) => p.message)).toEqual([`record 1 is not in canonical form (edited outside modelgate?)`]);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects duplicate keys even when the hash matches what JSON.parse keeps', async () => {
    const r = sealRecord(fields({ to: 'Production' }));
    const line = serializeRecord(r).replace('"to":"Production"', '"to":"Staging","to":"Production"');
    const res = await verifyChainStream(linesOf(line), MODEL, 'log', () => undefined);
    expect(res.problems.map((p) => p.message)).toEqual(['record 1 is not in canonical form (edited outside modelgate?)']);
  });
});
