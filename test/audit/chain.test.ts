import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AuditRecord } from '../../src/audit/types';
import { sealRecord, verifyChainStream, type ChainProblem } from '../../src/audit/chain';
import { canonicalJson } from '../../src/audit/canonical';
import { serializeRecord } from '../../src/audit/log';
import { chain, fields, fieldsArb, linesOf, MODEL, type Fields } from './fixtures';

async function verify(text: string, model = MODEL): Promise<{ count: number; problems: ChainProblem[]; seen: number[] }> {
  const seen: number[] = [];
  const res = await verifyChainStream(linesOf(text), model, 'audit/churn-predictor.jsonl', (r) => seen.push(r.seq));
  return { ...res, seen };
}

const messages = (ps: ChainProblem[]) => ps.map((p) => p.message);

/** A chain of 3..10 generated records, as log lines. */
const chainArb = fc.array(fieldsArb, { minLength: 3, maxLength: 10 }).map((list) => chain(list).map(serializeRecord));

const text = (lines: string[]) => lines.map((l) => l + '\n').join('');

describe('verifyChainStream on an intact log', () => {
  it('finds no problem in any sealed chain and hands every record over in order', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, async (lines) => {
        const res = await verify(text(lines));
        expect(res.problems).toEqual([]);
        expect(res.count).toBe(lines.length);
        expect(res.seen).toEqual(lines.map((_, i) => i + 1));
      }),
      { numRuns: 60 },
    );
  });

  it('accepts an empty log, a missing final newline and a blank last line', async () => {
    const lines = chain([fields(), fields({ version: 4 })]).map(serializeRecord);
    expect((await verify('')).problems).toEqual([]);
    expect((await verify(lines.join('\n'))).problems).toEqual([]);
    expect((await verify(text(lines) + '\n')).problems).toEqual([]);
  });
});

describe('verifyChainStream on a tampered log', () => {
  const mutators: Record<string, (r: AuditRecord) => unknown> = {
    time: (r) => ({ ...r, time: '1999-01-01T00:00:00.000Z' === r.time ? '1999-01-02T00:00:00.000Z' : '1999-01-01T00:00:00.000Z' }),
    actor: (r) => ({ ...r, actor: r.actor + 'x' }),
    action: (r) => ({ ...r, action: r.action === 'promote' ? 'archive' : 'promote' }),
    model: (r) => ({ ...r, model: 'other-model' }),
    version: (r) => ({ ...r, version: r.version + 1 }),
    from: (r) => ({ ...r, from: r.from === 'Staging' ? 'None' : 'Staging' }),
    to: (r) => ({ ...r, to: r.to === 'Production' ? 'Staging' : 'Production' }),
    reason: (r) => ({ ...r, reason: (r.reason ?? '') + ' (edited)' }),
    checks: (r) => ({ ...r, checks: [...r.checks, { id: 'metric:x.min', status: 'pass' }] }),
    metric: (r) => ({ ...r, evidence: { metrics: { ...(r.evidence?.metrics ?? {}), val_auc: 0.99123 } } }),
    seq: (r) => ({ ...r, seq: r.seq + 7 }),
    prev: (r) => ({ ...r, prev: 'sha256:' + 'e'.repeat(64) }),
    hash: (r) => ({ ...r, hash: 'sha256:' + 'f'.repeat(64) }),
    dropField: (r) => {
      const { actor: _a, ...rest } = r;
      return rest;
    },
  };

  it('names the edited record when any field of any record is changed', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.nat(), fc.constantFrom(...Object.keys(mutators)), async (lines, pick, field) => {
        const i = pick % lines.length;
        const edited = mutators[field]!(JSON.parse(lines[i]!) as AuditRecord);
        const tampered = lines.map((l, k) => (k === i ? canonicalJson(edited) : l));
        const res = await verify(text(tampered));
        expect(res.problems.some((p) => p.line === i + 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('names the edited line when any single character of the file is changed', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.nat(), fc.nat(), fc.constantFrom('0', 'a', ' ', '"', '}', 'é', '\\'), async (lines, li, ci, ch) => {
        const i = li % lines.length;
        const line = lines[i]!;
        const at = ci % line.length;
        fc.pre(line[at] !== ch);
        const tampered = lines.map((l, k) => (k === i ? l.slice(0, at) + ch + l.slice(at + 1) : l));
        const res = await verify(text(tampered));
        expect(res.problems.some((p) => p.line === i + 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('names the next record when an edited record was re-hashed to hide the edit', async () => {
    const records = chain([fields({ version: 1 }), fields({ version: 2 }), fields({ version: 3 })]);
    const forged = sealRecord({ ...records[1]!, reason: 'forged' }, records[0]);
    const lines = records.map(serializeRecord);
    lines[1] = serializeRecord(forged);
    const res = await verify(text(lines));
    expect(res.problems).toEqual([{ seq: 3, line: 3, message: "record 3 does not follow record 2: its prev is not record 2's hash" }]);
  });

  it('names a deleted record (not the last one: that takes git history)', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.nat(), async (lines, pick) => {
        const i = pick % (lines.length - 1);
        const res = await verify(text(lines.filter((_, k) => k !== i)));
        expect(res.problems.some((p) => p.seq === i + 1 && /missing \(deleted\?\)/.test(p.message))).toBe(true);
      }),
      { numRuns: 60 },
    );
    const lines = chain([fields(), fields(), fields(), fields(), fields()]).map(serializeRecord);
    expect(messages((await verify(text([lines[0]!, lines[1]!, lines[2]!, lines[4]!]))).problems)).toEqual([
      'record seq 5 follows seq 3: record 4 is missing (deleted?)',
    ]);
    expect(messages((await verify(text([lines[0]!, lines[3]!, lines[4]!]))).problems)).toEqual([
      'record seq 4 follows seq 1: records 2-3 are missing (deleted?)',
    ]);
    expect(messages((await verify(text(lines.slice(1)))).problems)).toEqual(['the log starts at seq 2: record 1 is missing (deleted?)']);
  });

  it('names swapped records as out of order', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.nat(), fc.nat(), async (lines, a, b) => {
        const i = a % lines.length;
        const j = b % lines.length;
        fc.pre(i < j);
        const swapped = [...lines];
        [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
        const res = await verify(text(swapped));
        expect(res.problems.some((p) => p.line === j + 1 && p.seq === i + 1 && /out of order/.test(p.message))).toBe(true);
      }),
      { numRuns: 60 },
    );
    const lines = chain([fields(), fields(), fields(), fields()]).map(serializeRecord);
    expect((await verify(text([lines[0]!, lines[2]!, lines[1]!, lines[3]!]))).problems).toEqual([
      { seq: 2, line: 3, message: 'record seq 2 follows seq 3: records are out of order (swapped or moved?)' },
    ]);
  });

  it('names a duplicated record', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.nat(), fc.nat(), async (lines, a, b) => {
        const i = a % lines.length;
        const at = b % (lines.length + 1);
        const dup = [...lines.slice(0, at), lines[i]!, ...lines.slice(at)];
        const res = await verify(text(dup));
        expect(res.problems.some((p) => p.seq === i + 1)).toBe(true);
      }),
      { numRuns: 60 },
    );
    const lines = chain([fields(), fields(), fields()]).map(serializeRecord);
    expect((await verify(text([lines[0]!, lines[1]!, lines[1]!, lines[2]!]))).problems).toEqual([
      { seq: 2, line: 3, message: 'seq 2 appears twice (duplicated?)' },
    ]);
  });

  it('names a line truncated mid-way', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.nat(), fc.nat(), async (lines, pickLine, pickAt) => {
        const k = pickLine % lines.length;
        const start = lines.slice(0, k).reduce((n, l) => n + l.length + 1, 0);
        // Cut inside line k's content: at least one character kept, at least one lost.
        const at = start + 1 + (pickAt % (lines[k]!.length - 1));
        const res = await verify(text(lines).slice(0, at));
        expect(res.problems.some((p) => p.line === k + 1 && /not valid JSON/.test(p.message))).toBe(true);
      }),
      { numRuns: 60 },
    );
    const lines = chain([fields(), fields()]).map(serializeRecord);
    expect(messages((await verify(lines[0] + '\n' + lines[1]!.slice(0, 40))).problems)).toEqual(['line 2: not valid JSON (truncated?)']);
  });

  it('reports blank lines inside the log, a record of another model, and malformed records', async () => {
    const lines = chain([fields(), fields({ version: 4 })]).map(serializeRecord);
    expect((await verify(lines[0] + '\n\n' + lines[1] + '\n')).problems).toEqual([{ line: 2, message: 'line 2 is blank (audit logs have one record per line)' }]);
    expect(messages((await verify(text(lines), 'other')).problems)).toEqual([
      "record 1 is for model 'churn-predictor', not 'other' (copied from another log?)",
      "record 2 is for model 'churn-predictor', not 'other' (copied from another log?)",
    ]);
    const malformed = JSON.stringify({ ...JSON.parse(lines[0]!), version: 'three' });
    const res = await verify(text([malformed, lines[1]!]));
    expect(res.problems).toEqual([{ line: 1, seq: 1, message: 'line 1: not an audit record: "version" must be a positive integer' }]);
    expect(res.seen).toEqual([2]); // only records that parsed reach onRecord
    expect(messages((await verify('[1,2]\n')).problems)).toEqual(['line 1: not an audit record: not a JSON object']);
  });

  it('refuses a source.commit that is not a hex id (it is later passed to git)', async () => {
    const r = sealRecord(fields({ source: { commit: '--output=/tmp/x' } }));
    expect(messages((await verify(serializeRecord(r))).problems)).toEqual(['line 1: not an audit record: "source.commit" must be a hex commit id']);
  });

  it('keeps memory bounded on a log with a problem on every line', async () => {
    const lines = Array.from({ length: 3000 }, () => 'garbage');
    const res = await verify(text(lines));
    expect(res.problems).toHaveLength(1001);
    expect(res.problems[1000]!.message).toBe('… and 2000 more problems');
  });
});

describe('sealRecord', () => {
  it('continues whatever it is given and leaves the caller fields untouched', () => {
    const f: Fields = fields({ source: { pr: 7 } });
    const before = structuredClone(f);
    const r = sealRecord(f, { seq: 41, hash: 'sha256:' + '1'.repeat(64) });
    expect(f).toEqual(before);
    expect(r).toMatchObject({ seq: 42, prev: 'sha256:' + '1'.repeat(64), source: { pr: 7 } });
  });
});

