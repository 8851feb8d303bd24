/** Record builders and generators shared by the audit tests. */
import fc from 'fast-check';
import type { AuditRecord } from '../../src/audit/types';
import { sealRecord } from '../../src/audit/chain';
import { serializeRecord } from '../../src/audit/log';
import { STAGES } from '../../src/manifest/types';

export type Fields = Omit<AuditRecord, 'seq' | 'prev' | 'hash'>;

export const MODEL = 'churn-predictor';

export function fields(over: Partial<Fields> = {}): Fields {
  return {
    time: '2026-11-22T10:00:00.000Z',
    actor: 'alice',
    action: 'promote',
    model: MODEL,
    version: 3,
    from: 'Staging',
    to: 'Production',
    checks: [{ id: 'metric:val_auc.min', status: 'pass', level: 'deny' }],
    ...over,
  };
}

/** Seals `list` into a chain, in order. */
export function chain(list: Fields[]): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const f of list) {
    const last = out[out.length - 1];
    out.push(sealRecord(f, last ? { seq: last.seq, hash: last.hash } : undefined));
  }
  return out;
}

export function logText(records: AuditRecord[]): string {
  return records.map((r) => serializeRecord(r) + '\n').join('');
}

export async function* linesOf(text: string): AsyncIterable<string> {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  for (const l of lines) yield l;
}

/** Any string of whole code points: unicode, astral, control characters. */
export const anyText = fc.string({ unit: 'binary', maxLength: 12 });

/** Metric values as records store them: integers, floats (0.1, 1e21, -0), and the non-finite strings. */
export const metricValue = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0.1, 1e21, -0, 5e-324, 1e-7, 123456789.125),
  fc.constantFrom('NaN', 'Infinity', '-Infinity'),
);

const stage = fc.constantFrom(...STAGES);

export const fieldsArb: fc.Arbitrary<Fields> = fc.record(
  {
    time: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
    actor: anyText.filter((s) => s !== ''),
    action: fc.constantFrom('register', 'promote', 'archive', 'rollback', 'alias') as fc.Arbitrary<AuditRecord['action']>,
    model: fc.constant(MODEL),
    version: fc.integer({ min: 1, max: 1000 }),
    from: fc.option(stage, { nil: null }),
    to: fc.oneof(stage, anyText.map((s) => `@${s || 'a'}`)),
    reason: anyText,
    checks: fc.array(fc.record({ id: anyText, status: fc.constantFrom('pass', 'fail', 'warn', 'waived', 'skipped') }), { maxLength: 3 }),
    evidence: fc.record(
      {
        metrics: fc.dictionary(anyText, metricValue, { maxKeys: 4 }),
        baseline: fc.record({ version: fc.integer({ min: 1, max: 99 }), metrics: fc.dictionary(anyText, metricValue, { maxKeys: 3 }) }),
      },
      { requiredKeys: ['metrics'] },
    ),
    displaced: fc.integer({ min: 1, max: 1000 }),
    riskTier: anyText,
    source: fc.record({ commit: fc.stringMatching(/^[0-9a-f]{40}$/), pr: fc.integer({ min: 1, max: 99999 }), approvals: fc.array(anyText, { maxLength: 2 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['time', 'actor', 'action', 'model', 'version', 'from', 'to', 'checks'] },
);
