/**
 * Property tests (fast-check) of the pure integrity core: the immutability diff of manifest
 * fields and the `audit.appended` matching of records to transitions.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fieldChanges, touchedPaths } from '../../src/transitions/immutable';
import { appendedProblems } from '../../src/audit/appended';
import { Replayer } from '../../src/audit/replay';
import { sealRecord } from '../../src/audit/chain';
import type { ModelVersion, Stage } from '../../src/manifest/types';
import type { Transition } from '../../src/transitions/types';
import type { AuditRecord } from '../../src/audit/types';

const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}`);
const path = fc.array(fc.constantFrom('a', 'b', 'runs', 'mlruns', 'x.json'), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const stage = fc.constantFrom<Stage>('None', 'Staging', 'Production', 'Archived');
const version: fc.Arbitrary<ModelVersion> = fc.record(
  { version: fc.integer({ min: 1, max: 9 }), run: path, artifact: path, digest, evidence: digest, stage },
  { requiredKeys: ['version', 'run', 'stage'] },
);

describe('fieldChanges', () => {
  it('a version compared with itself has no changes; a stage change alone is not a mutation', () => {
    fc.assert(fc.property(version, stage, (v, s) => fieldChanges(v, v).length === 0 && fieldChanges(v, { ...v, stage: s }).length === 0));
  });
  it('any change of run, artifact or digest is a mutation, both ways', () => {
    fc.assert(
      fc.property(version, fc.constantFrom('run', 'artifact', 'digest') as fc.Arbitrary<'run' | 'artifact' | 'digest'>, fc.option(path.chain(() => digest), { nil: undefined }), (v, key, value) => {
        const w: ModelVersion = { ...v };
        if (value === undefined) delete w[key];
        else (w as unknown as Record<string, string>)[key] = value;
        if (key === 'run' && value === undefined) return true; // run is required
        const changed = v[key] !== w[key];
        expect(fieldChanges(v, w).length > 0).toBe(changed);
        expect(fieldChanges(w, v).length > 0).toBe(changed);
        return true;
      }),
    );
  });
  it('evidence may be added where there was none, never changed or removed', () => {
    fc.assert(
      fc.property(version, digest, (v, d) => {
        const without: ModelVersion = { ...v };
        delete without.evidence;
        expect(fieldChanges(without, { ...without, evidence: d })).toEqual([]);
        expect(fieldChanges({ ...without, evidence: d }, without).length).toBe(1);
        if (v.evidence !== undefined && v.evidence !== d) expect(fieldChanges(v, { ...v, evidence: d }).length).toBe(1);
        return true;
      }),
    );
  });
});

describe('touchedPaths', () => {
  it('a path touches a root exactly when one lies at, above or under the other (segment-wise)', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 5 }), path, (roots, p) => {
        const seg = (x: string) => x.split('/');
        const prefix = (a: string[], b: string[]) => a.length <= b.length && a.every((s, i) => s === b[i]);
        const expected = roots.some((r) => prefix(seg(r), seg(p)) || prefix(seg(p), seg(r)));
        return (touchedPaths(roots, [p]).length === 1) === expected;
      }),
    );
  });
});

describe('appendedProblems', () => {
  const NOT_BEFORE = new Date('2026-12-01T00:00:00Z');
  const NOT_AFTER = new Date('2026-12-03T00:00:00Z');
  const transition: fc.Arbitrary<Transition> = fc.record({
    version: fc.integer({ min: 1, max: 20 }),
    from: fc.constantFrom<Stage>('None', 'Staging', 'Production'),
    to: fc.constantFrom<Stage>('Staging', 'Production', 'Archived'),
  }).map(({ version, from, to }) => ({ model: 'm', version, kind: 'stage' as const, from, to }));
  const transitions = fc.uniqueArray(transition, { selector: (t) => t.version, maxLength: 5 });
  const time = fc.integer({ min: NOT_BEFORE.getTime(), max: NOT_AFTER.getTime() }).map((t) => new Date(t).toISOString());

  function recordsFor(ts: Transition[], times: string[]): AuditRecord[] {
    const out: AuditRecord[] = [];
    ts.forEach((t, i) => {
      const prev = out[out.length - 1];
      out.push(sealRecord({ time: times[i % times.length]!, actor: 'a', action: t.to === 'Archived' ? 'archive' : 'promote', model: 'm', version: t.version, from: t.from, to: t.to as string, checks: [] }, prev));
    });
    return out;
  }
  const judge = (ts: Transition[], appended: AuditRecord[]) =>
    appendedProblems({ model: 'm', appended, transitions: ts, removedAliases: [], notBefore: NOT_BEFORE, notAfter: NOT_AFTER, replay: new Replayer().state, head: undefined });

  it("exactly the change's own records, in any order, timed inside the window: no problem", () => {
    fc.assert(
      fc.property(transitions, fc.array(time, { minLength: 1, maxLength: 5 }), fc.integer(), (ts, times, seed) => {
        const recs = recordsFor(ts, times);
        const shuffled = [...recs].sort((a, b) => ((a.seq * 7919 + seed) % 13) - ((b.seq * 7919 + seed) % 13));
        return judge(ts, shuffled).length === 0;
      }),
    );
  });

  it('one extra record, one outside the window, or one with another from/to: always a problem', () => {
    fc.assert(
      fc.property(transitions.filter((ts) => ts.length > 0), fc.array(time, { minLength: 1 }), fc.constantFrom('extra', 'early', 'late', 'from'), (ts, times, how) => {
        const recs = recordsFor(ts, times);
        if (how === 'extra') recs.push({ ...recs[0]!, seq: recs.length + 1 });
        if (how === 'early') recs[0] = { ...recs[0]!, time: new Date(NOT_BEFORE.getTime() - 1).toISOString() };
        if (how === 'late') recs[0] = { ...recs[0]!, time: new Date(NOT_AFTER.getTime() + 1).toISOString() };
        if (how === 'from') recs[0] = { ...recs[0]!, from: recs[0]!.from === 'None' ? 'Staging' : 'None' };
        return judge(ts, recs).length > 0;
      }),
    );
  });
});
