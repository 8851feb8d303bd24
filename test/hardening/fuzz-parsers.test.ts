/**
 * The parsers and loaders behind every file modelgate reads, fuzzed in process (thousands of
 * inputs in seconds; the CLI-level suites run fewer, end to end). Whatever the text, each one
 * returns or throws an InputError located in the file it was given, never anything else (a
 * TypeError or RangeError would surface as an internal error), and within a time bound.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { firstDuplicateKey, parseJson, parseYaml } from '../../src/schema/document';
import { loadManifest } from '../../src/manifest/load';
import { loadPolicies } from '../../src/policy/load';
import { loadConfig } from '../../src/config';
import { latestMetricPoint } from '../../src/runs/metricFile';
import { parseMlflowSignature, SignatureError } from '../../src/runs/signature';
import { verifyChainStream } from '../../src/audit/chain';
import { readLines } from '../../src/audit/log';
import { InputError, InputErrors } from '../../src/errors';
import { MANIFEST, POLICY, runRecord } from '../helpers/registry';
import { fuzzTimeout, mutated, runs } from './fixtures/mutate';

/** Per input, on a busy runner. */
const MS_PER_INPUT = 2_000;

function expectInputErrorOrValue(f: () => unknown, file: string): void {
  const start = Date.now();
  try {
    f();
  } catch (err) {
    if (err instanceof InputErrors) {
      expect(err.errors.length).toBeGreaterThan(0);
      for (const e of err.errors) expect(e.location?.file).toBe(file);
    } else if (err instanceof InputError) {
      expect(err.location?.file ?? file).toBe(file);
    } else {
      throw err;
    }
  }
  expect(Date.now() - start).toBeLessThan(MS_PER_INPUT);
}

/** Arbitrary text: unicode strings, and mutations of each kind of valid document. */
const anyText = (valid: string) => fc.oneof(mutated(valid), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));

const CONFIG = 'registry: registry\npolicies: policies\naudit: audit\n';
const RECORD = runRecord('run-v3', { val_auc: 0.882, latency_p99_ms: 8.4 });
const METRIC = '1789459607022 0.71 20\n1789459643074 0.72 40\n1789459679091 nan 60\n1789459715164 0.76 60 ds 3f2a\n';
const SIGNATURE = `{"inputs": "[{\\"type\\": \\"long\\", \\"name\\": \\"tenure\\", \\"required\\": true}]", "outputs": "[{\\"type\\": \\"tensor\\", \\"tensor-spec\\": {\\"dtype\\": \\"float64\\", \\"shape\\": [-1]}}]", "params": null}`;

describe('parsers never crash (in process)', () => {
  it('parseYaml and parseJson: a value or a located InputError', () => {
    fc.assert(
      fc.property(fc.oneof(anyText(MANIFEST), anyText(POLICY), anyText(RECORD)), (text) => {
        expectInputErrorOrValue(() => parseYaml(text, 'x.yaml'), 'x.yaml');
        expectInputErrorOrValue(() => parseJson(text, 'x.json'), 'x.json');
      }),
      { numRuns: runs(2_000) },
    );
  }, fuzzTimeout(2_000, 40));

  it('manifest, policy and config loaders: a value or located InputErrors', () => {
    fc.assert(
      fc.property(anyText(MANIFEST), anyText(POLICY), anyText(CONFIG), (m, p, c) => {
        expectInputErrorOrValue(() => loadManifest(m, 'registry/churn-predictor.yaml'), 'registry/churn-predictor.yaml');
        expectInputErrorOrValue(() => loadPolicies([{ path: 'policies/churn.yaml', text: p }]), 'policies/churn.yaml');
        expectInputErrorOrValue(() => loadConfig(c, 'modelgate.yaml'), 'modelgate.yaml');
      }),
      { numRuns: runs(1_500) },
    );
  }, fuzzTimeout(1_500, 40));

  it('MLmodel signatures: a signature or a SignatureError, nothing else', () => {
    fc.assert(
      fc.property(anyText(SIGNATURE), (text) => {
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          raw = text; // not JSON: handed over as the YAML string it would be
        }
        try {
          parseMlflowSignature(raw);
        } catch (err) {
          if (!(err instanceof SignatureError)) throw err;
        }
      }),
      { numRuns: runs(2_000) },
    );
  }, fuzzTimeout(2_000, 40));

  it('metric files: the latest point or a located InputError, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(anyText(METRIC), fc.integer({ min: 1, max: 17 }), async (text, chunk) => {
        const bytes = Buffer.from(text, 'utf8');
        const chunks = (async function* () {
          for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
        })();
        try {
          await latestMetricPoint(chunks, 'metrics/val_auc');
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          expect(err.location?.file).toBe('metrics/val_auc');
        }
      }),
      { numRuns: runs(2_000) },
    );
  }, fuzzTimeout(2_000, 40));

  it('audit logs: the chain verifier reports problems, it never throws', async () => {
    const { sealRecord } = await import('../../src/audit/chain');
    const { serializeRecord } = await import('../../src/audit/log');
    let prev: ReturnType<typeof sealRecord> | undefined;
    const lines: string[] = [];
    for (let v = 1; v <= 4; v++) {
      prev = sealRecord(
        { time: '2026-11-20T10:00:00.000Z', actor: 'alice', action: 'promote', model: 'm', version: v, from: 'Staging', to: 'Production', checks: [{ id: 'run.exists', status: 'pass' }] },
        prev,
      );
      lines.push(serializeRecord(prev));
    }
    const log = lines.join('\n') + '\n';
    await fc.assert(
      fc.asyncProperty(anyText(log), async (text) => {
        const source = (async function* () {
          yield Buffer.from(text, 'utf8');
        })();
        const r = await verifyChainStream(readLines(source, 'audit/m.jsonl'), 'm', 'audit/m.jsonl', () => undefined);
        // Tamper evidence: a log the verifier passes is the original, or the original with whole
        // records dropped from its end (which `audit verify` catches against git history).
        if (r.problems.length === 0) {
          const kept = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
          expect(kept).toEqual(lines.slice(0, kept.length));
        }
        if (text === log) expect(r.problems).toEqual([]);
      }),
      { numRuns: runs(2_000) },
    );
  }, fuzzTimeout(2_000, 40));
});

describe('duplicate keys in JSON', () => {
  /** JSON objects written as text, with a chance of repeating a key (possibly spelled with escapes). */
  const key = fc.constantFrom('a', 'b', 'run_id', 'val_auc', 'é', '\u0061', 'x"y', 'back\\slash');
  const spell = (k: string, escaped: boolean) => (escaped ? `"${[...k].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(k));
  const objectText: fc.Arbitrary<string> = fc.letrec<{ obj: string; value: string }>((tie) => ({
    obj: fc
      .array(fc.tuple(key, fc.boolean(), tie('value')), { maxLength: 5 })
      .map((members) => `{${members.map(([k, esc, v]) => `${spell(k, esc)}: ${v}`).join(', ')}}`),
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('1', '"s"', 'null', '[]', '"{\\"a\\": 1, \\"a\\": 2}"'), tie('obj'), tie('obj').map((o) => `[${o}, ${o}]`)),
  })).obj;

  it('are found exactly when a YAML parser with unique keys finds them, and refused by parseJson', () => {
    fc.assert(
      fc.property(objectText, (text) => {
        const reference = parseDocument(text, { uniqueKeys: true }).errors.some((e) => e.code === 'DUPLICATE_KEY');
        expect(firstDuplicateKey(text) !== undefined).toBe(reference);
        if (reference) expect(() => parseJson(text, 'r.json')).toThrow(/duplicate key/);
      }),
      { numRuns: runs(3_000) },
    );
  }, fuzzTimeout(3_000, 40));
});
