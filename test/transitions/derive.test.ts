import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deriveTransitions, isGated, removedAliases } from '../../src/transitions/derive';
import { STAGES, type Manifest, type Stage } from '../../src/manifest/types';

const m = (versions: [number, Stage][], aliases: Record<string, number> = {}): Manifest => ({
  name: 'churn',
  versions: versions.map(([version, stage]) => ({ version, stage, run: `runs/${version}.json` })),
  aliases,
});

describe('deriveTransitions', () => {
  it('lists a stage change, a new version, an alias move and a removal, in that order', () => {
    const base = m([[1, 'Production'], [2, 'Staging'], [3, 'Archived']], { champion: 1 });
    const head = m([[1, 'Archived'], [2, 'Production'], [4, 'None']], { champion: 2 });
    expect(deriveTransitions('churn', base, head)).toEqual([
      { model: 'churn', version: 4, kind: 'register', from: null, to: 'None' },
      { model: 'churn', version: 1, kind: 'stage', from: 'Production', to: 'Archived' },
      { model: 'churn', version: 2, kind: 'stage', from: 'Staging', to: 'Production' },
      { model: 'churn', version: 2, kind: 'alias', from: 'Production', to: '@champion', previousVersion: 1 },
      { model: 'churn', version: 3, kind: 'remove', from: 'Archived', to: null },
    ]);
  });

  it('treats a whole new model as registrations and a deleted model as removals', () => {
    expect(deriveTransitions('churn', undefined, m([[1, 'Staging']]))).toEqual([
      { model: 'churn', version: 1, kind: 'register', from: null, to: 'Staging' },
    ]);
    expect(deriveTransitions('churn', m([[1, 'Archived']]), undefined)).toEqual([
      { model: 'churn', version: 1, kind: 'remove', from: 'Archived', to: null },
    ]);
  });

  it('sees nothing when only non-stage fields change', () => {
    const base = m([[1, 'Production']]);
    const head: Manifest = { ...base, description: 'new words', versions: [{ ...base.versions[0]!, digest: 'sha256:' + 'a'.repeat(64) }] };
    expect(deriveTransitions('churn', base, head)).toEqual([]);
  });

  it('reports removed aliases separately (they are recorded, not gated)', () => {
    expect(removedAliases(m([[1, 'Production']], { champion: 1 }), m([[1, 'Production']]))).toEqual([{ alias: 'champion', version: 1 }]);
  });

  it('gates everything except registering a version at None', () => {
    expect(isGated({ model: 'x', version: 1, kind: 'register', from: null, to: 'None' })).toBe(false);
    expect(isGated({ model: 'x', version: 1, kind: 'register', from: null, to: 'Production' })).toBe(true);
    expect(isGated({ model: 'x', version: 1, kind: 'remove', from: 'Archived', to: null })).toBe(true);
  });

  it('property: applying the derived stage transitions to base yields head stages', () => {
    const stage = fc.constantFrom(...STAGES);
    const state = fc.dictionary(fc.integer({ min: 1, max: 20 }).map(String), stage, { maxKeys: 12 });
    fc.assert(
      fc.property(state, state, (b, h) => {
        const toManifest = (s: Record<string, Stage>) => m(Object.entries(s).map(([v, st]) => [Number(v), st] as [number, Stage]));
        const base = toManifest(b);
        const head = toManifest(h);
        const replay = new Map(base.versions.map((v) => [v.version, v.stage as Stage | null]));
        for (const t of deriveTransitions('churn', base, head)) {
          if (t.kind === 'remove') replay.delete(t.version);
          else if (t.kind !== 'alias') replay.set(t.version, t.to as Stage);
        }
        expect(Object.fromEntries(replay)).toEqual(Object.fromEntries(head.versions.map((v) => [v.version, v.stage])));
      }),
    );
  });
});
