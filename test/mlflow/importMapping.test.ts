/**
 * The pure mapping of import mlflow: MLflow registry state → manifest versions, stages, aliases.
 * Properties over arbitrary registries (any stages, statuses, missing runs, aliases to anything),
 * and the written manifest loads back to exactly what was planned.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importedManifestText, mlflowStage, planImport, type RegistryState } from '../../src/mlflow/importMapping';
import { loadManifest } from '../../src/manifest/load';
import { InputError } from '../../src/errors';

const STAGE_TEXT = ['None', 'Staging', 'Production', 'Archived', 'production', 'STAGING', '', undefined] as const;
const STATUS = ['READY', 'PENDING_REGISTRATION', 'FAILED_REGISTRATION', undefined] as const;

const registry: fc.Arbitrary<RegistryState> = fc
  .uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 12 })
  .chain((numbers) =>
    fc.record({
      name: fc.constant('churn'),
      versions: fc.tuple(
        ...numbers.map((n) =>
          fc.record({
            version: fc.constant(String(n)),
            stage: fc.constantFrom(...STAGE_TEXT),
            status: fc.constantFrom(...STATUS),
            runId: fc.option(fc.integer({ min: 0, max: 2 ** 31 }).map((n) => n.toString(16).padStart(32, '0')), { nil: undefined }),
          }),
        ),
      ),
      aliases: fc.uniqueArray(fc.record({ alias: fc.constantFrom('champion', 'challenger', 'bad alias', 'x'.repeat(70)), version: fc.integer({ min: 1, max: 45 }).map(String) }), { maxLength: 4, selector: (a) => a.alias }),
    }),
  )
  .map((s) => ({ ...s, versions: s.versions.map((v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as unknown as RegistryState['versions'][number]) }));

const imported = (v: RegistryState['versions'][number]) => (v.status === undefined || v.status === 'READY') && !!v.runId;

describe('planImport', () => {
  it('keeps exactly the READY versions that name a run, same numbers, stages mapped; refuses two in Production', () => {
    fc.assert(
      fc.property(registry, (state) => {
        const expected = state.versions.filter(imported).sort((a, b) => Number(a.version) - Number(b.version));
        const production = expected.filter((v) => v.stage?.toLowerCase() === 'production');
        if (production.length > 1) {
          expect(() => planImport(state)).toThrow(InputError);
          return;
        }
        const plan = planImport(state);
        expect(plan.versions.map((v) => v.version)).toEqual(expected.map((v) => Number(v.version)));
        for (const v of plan.versions) {
          const given = state.versions.find((x) => Number(x.version) === v.version)!;
          expect(v.stage).toBe(mlflowStage(given.stage, v.version));
          expect(v.runId).toBe(given.runId);
        }
        // Every alias kept points at an imported version; every one dropped is noted.
        const kept = new Set(plan.versions.map((v) => v.version));
        for (const target of Object.values(plan.aliases)) expect(kept.has(target)).toBe(true);
        for (const v of state.versions.filter((x) => !kept.has(Number(x.version)))) expect(plan.notes.some((n) => n.startsWith(`v${v.version} left out`))).toBe(true);
        for (const a of state.aliases.filter((x) => !(x.alias in plan.aliases))) expect(plan.notes.some((n) => n.includes(a.alias))).toBe(true);
        expect(plan.notes).toHaveLength(state.versions.length - plan.versions.length + state.aliases.length - Object.keys(plan.aliases).length);
      }),
      { numRuns: 300 },
    );
  });

  it('the manifest written loads back (single Production checked) to the planned versions and aliases', () => {
    fc.assert(
      fc.property(registry, fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), (state, description) => {
        let plan;
        try {
          plan = planImport(state);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          return;
        }
        const entries = plan.versions.map((v) => ({ version: v.version, run: `runs/churn/${v.runId}.json`, evidence: `sha256:${'a'.repeat(64)}`, stage: v.stage }));
        const text = importedManifestText('churn', 'registry/churn.yaml', entries, plan, { ...(description !== undefined ? { description } : {}), mlflowName: 'Churn Model' });
        const back = loadManifest(text, 'registry/churn.yaml', { singleProduction: true }).manifest;
        expect(back.versions).toEqual(entries);
        expect(back.aliases).toEqual(plan.aliases);
        expect(back.mlflow).toEqual({ name: 'Churn Model' });
        if (description !== undefined) expect(back.description).toBe(description);
      }),
      { numRuns: 200 },
    );
  });

  it('maps MLflow stages, unset as None, and refuses a stage MLflow does not have', () => {
    expect([undefined, '', 'None', 'none'].map((s) => mlflowStage(s, 1))).toEqual(['None', 'None', 'None', 'None']);
    expect(mlflowStage('Production', 1)).toBe('Production');
    expect(() => mlflowStage('Canary', 4)).toThrow(/MLflow version 4 is in stage 'Canary'/);
  });

  it('notes what it leaves out, and why', () => {
    const plan = planImport({
      name: 'churn',
      versions: [
        { version: '1', status: 'READY', runId: 'a', stage: 'Archived' },
        { version: '2', status: 'FAILED_REGISTRATION', runId: 'b' },
        { version: '3', status: 'READY' },
        { version: '4', status: 'READY', runId: '../../etc/passwd' },
      ],
      aliases: [
        { alias: 'champion', version: '1' },
        { alias: 'challenger', version: '2' },
      ],
    });
    expect(plan.versions).toEqual([{ version: 1, stage: 'Archived', runId: 'a' }]);
    expect(plan.aliases).toEqual({ champion: 1 });
    expect(plan.notes).toEqual([
      expect.stringMatching(/^v2 left out: its status is FAILED_REGISTRATION/),
      expect.stringMatching(/^v3 left out: it names no run/),
      expect.stringMatching(/^v4 left out: its run id '\.\.\/\.\.\/etc\/passwd' is not an MLflow run id/),
      expect.stringMatching(/^alias @challenger left out: it points at version 2/),
    ]);
  });

  it('a version number MLflow would never send is an input error', () => {
    expect(() => planImport({ name: 'm', versions: [{ version: '0', runId: 'a' }], aliases: [] })).toThrow(/is not a positive whole number/);
    expect(() => planImport({ name: 'm', versions: [{ version: '2', runId: 'a' }, { version: '2', runId: 'b' }], aliases: [] })).toThrow(/twice/);
  });
});
