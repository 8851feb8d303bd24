/**
 * The sync planner, property-tested: whatever git says and whatever the server holds, applying
 * the plan yields a server whose plan is empty (a second sync writes nothing), on which every
 * alias git can express points at the version tagged with git's number, and the write order
 * keeps its promises (extra aliases go first, aliases are set last and only on versions that
 * exist and carry their tag by then).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STAGES, type Stage } from '../../src/manifest/types';
import {
  applyToServer,
  mappedVersions,
  ownershipProblem,
  planSync,
  reservedAlias,
  TAG_AUDIT,
  TAG_MODEL,
  TAG_STAGE,
  TAG_VERSION,
  unmappedVersions,
  type DesiredModel,
  type ServerModel,
  type SyncAction,
  type VersionOrigin,
} from '../../src/mlflow/syncPlan';

const NAME = 'churn';
const stage = fc.constantFrom<Stage>(...STAGES);
const hash = fc.constantFrom('sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64));
const aliasName = fc.constantFrom('champion', 'challenger', 'shadow', 'latest', 'v2', 'canary');

const origin: fc.Arbitrary<VersionOrigin> = fc.oneof(
  fc.record({ source: fc.constantFrom('models:/m-1', 'runs:/r1/model', 's3://b/m'), runId: fc.constantFrom('r1', 'r2') }),
  fc.record({
    source: fc.constant('models:/m-2'),
    runId: fc.constantFrom('r1', 'r2'),
    registered: fc.record({ name: fc.constantFrom(NAME, 'other'), version: fc.constantFrom('1', '2', '3', '4') }),
  }),
  fc.constant({ skip: 'its run is not an MLflow snapshot' }),
);

const desired: fc.Arbitrary<DesiredModel> = fc
  .record({
    versions: fc.uniqueArray(fc.record({ version: fc.integer({ min: 1, max: 6 }), stage, audit: fc.option(hash, { nil: undefined }), origin }), {
      selector: (v) => v.version,
      maxLength: 5,
    }),
    aliasPicks: fc.array(fc.tuple(aliasName, fc.nat()), { maxLength: 4 }),
    stages: fc.boolean(),
  })
  .map(({ versions, aliasPicks, stages }) => {
    const aliases: Record<string, number> = {};
    if (versions.length) for (const [a, i] of aliasPicks) aliases[a] = versions[i % versions.length]!.version;
    const vs = versions.map((v) => ({ version: v.version, stage: v.stage, origin: v.origin, ...(v.audit !== undefined ? { audit: v.audit } : {}) }));
    return { model: NAME, registeredModel: NAME, versions: vs, aliases, stages };
  });

const server: fc.Arbitrary<ServerModel> = fc
  .record({
    exists: fc.boolean(),
    versions: fc.array(
      fc.record({
        tagVersion: fc.option(fc.constantFrom('1', '2', '3', '4', '5', '6', 'x'), { nil: undefined }),
        tagStage: fc.option(stage, { nil: undefined }),
        tagAudit: fc.option(hash, { nil: undefined }),
        other: fc.boolean(),
        stage,
        runId: fc.constantFrom('r1', 'r2', ''),
      }),
      { maxLength: 6 },
    ),
    aliasPicks: fc.array(fc.tuple(aliasName, fc.nat()), { maxLength: 4 }),
  })
  .map(({ exists, versions, aliasPicks }) => {
    if (!exists) return { exists: false, versions: [], aliases: {} };
    const vs = versions.map((v, i) => ({
      version: String(i + 1),
      stage: v.stage,
      ...(v.runId ? { runId: v.runId } : {}),
      tags: {
        ...(v.tagVersion !== undefined ? { [TAG_VERSION]: v.tagVersion } : {}),
        ...(v.tagStage !== undefined ? { [TAG_STAGE]: v.tagStage } : {}),
        ...(v.tagAudit !== undefined ? { [TAG_AUDIT]: v.tagAudit } : {}),
        ...(v.other ? { owner: 'ml' } : {}),
      },
    }));
    const aliases: Record<string, string> = {};
    if (vs.length) for (const [a, i] of aliasPicks) if (!reservedAlias(a)) aliases[a] = vs[i % vs.length]!.version;
    return { exists: true, versions: vs, aliases };
  });

/** As the adapter does it: origins only for versions the server lacks. */
function withOrigins(d: DesiredModel, s: ServerModel): DesiredModel {
  const lacking = new Set(unmappedVersions(d, s));
  return { ...d, versions: d.versions.map((v) => (lacking.has(v.version) ? v : { version: v.version, stage: v.stage, ...(v.audit !== undefined ? { audit: v.audit } : {}) })) };
}

describe('sync planner', () => {
  it('applying the plan yields a server whose plan is empty (a second sync writes nothing)', () => {
    fc.assert(
      fc.property(desired, server, (d, s) => {
        const first = planSync(withOrigins(d, s), s);
        const after = applyToServer(s, first.actions);
        const again = planSync(withOrigins(d, after), after);
        expect(again.actions).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('afterwards every alias git can express points at the version tagged with its number, and no other alias is left', () => {
    fc.assert(
      fc.property(desired, server, (d, s) => {
        const after = applyToServer(s, planSync(withOrigins(d, s), s).actions);
        const { map } = mappedVersions(after);
        expect(after.exists).toBe(true);
        for (const [alias, mv] of Object.entries(after.aliases)) {
          const want = d.aliases[alias];
          expect(want, `@${alias} is not git's`).toBeDefined();
          expect(mv).toBe(map.get(want!));
        }
        for (const [alias, n] of Object.entries(d.aliases)) {
          if (!reservedAlias(alias) && map.has(n)) expect(after.aliases[alias]).toBe(map.get(n));
        }
        // Every mapped version carries git's stage (and, with stages, is in it) and audit head.
        for (const v of d.versions) {
          const mv = after.versions.find((x) => x.version === map.get(v.version));
          if (!mv) continue;
          expect(mv.tags[TAG_STAGE]).toBe(v.stage);
          expect(mv.tags[TAG_AUDIT]).toBe(v.audit);
          if (d.stages) expect(mv.stage).toBe(v.stage);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('orders writes: model, alias deletions, creations, tags, stages (leaving before entering), alias sets', () => {
    const rank: Record<SyncAction['kind'], number> = { 'create-model': 0, 'delete-alias': 1, 'create-version': 2, 'set-tag': 3, 'delete-tag': 3, 'set-stage': 4, 'set-alias': 5 };
    const stageRank: Record<string, number> = { Archived: 0, None: 1, Staging: 2, Production: 3 };
    fc.assert(
      fc.property(desired, server, (d, s) => {
        const { actions } = planSync(withOrigins(d, s), s);
        const ranks = actions.map((a) => rank[a.kind]);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        const stages = actions.filter((a) => a.kind === 'set-stage').map((a) => stageRank[(a as { stage: string }).stage]!);
        expect(stages).toEqual([...stages].sort((a, b) => a - b));
        // Replaying step by step: an alias is only ever set on a version tagged with git's number.
        for (const [i, a] of actions.entries()) {
          const state = applyToServer(s, actions.slice(0, i + 1));
          if (a.kind === 'set-alias') {
            const mv = state.aliases[a.alias]!;
            expect(state.versions.find((v) => v.version === mv)?.tags[TAG_VERSION]).toBe(String(a.version));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sync planner, examples', () => {
  const base: DesiredModel = { model: NAME, registeredModel: NAME, versions: [], aliases: {}, stages: false };

  it('creates a missing model and version, tags it in the create request, then sets the alias', () => {
    const d: DesiredModel = { ...base, versions: [{ version: 1, stage: 'Production', audit: 'sha256:' + 'a'.repeat(64), origin: { source: 'models:/m-1', runId: 'r1' } }], aliases: { champion: 1 } };
    const { actions } = planSync(d, { exists: false, versions: [], aliases: {} });
    expect(actions.map((a) => a.kind)).toEqual(['create-model', 'create-version', 'set-alias']);
    expect(actions[1]).toMatchObject({ source: 'models:/m-1', runId: 'r1', tags: { [TAG_VERSION]: '1', [TAG_STAGE]: 'Production', [TAG_AUDIT]: 'sha256:' + 'a'.repeat(64) } });
  });

  it('moves an alias moved by hand back, deletes one git lacks first, and names what it was', () => {
    const s: ServerModel = {
      exists: true,
      versions: [
        { version: '1', stage: 'None', tags: { [TAG_VERSION]: '1', [TAG_STAGE]: 'Archived' } },
        { version: '2', stage: 'None', tags: { [TAG_VERSION]: '2', [TAG_STAGE]: 'Production' } },
      ],
      aliases: { champion: '1', handmade: '2' },
    };
    const d: DesiredModel = { ...base, versions: [{ version: 1, stage: 'Archived' }, { version: 2, stage: 'Production' }], aliases: { champion: 2 } };
    const { actions } = planSync(d, s);
    expect(actions).toEqual([
      expect.objectContaining({ kind: 'delete-alias', alias: 'handmade', mlflowVersion: '2' }),
      expect.objectContaining({ kind: 'set-alias', alias: 'champion', version: 2, mlflowVersion: '2', was: '1' }),
    ]);
  });

  it('never adopts a registry version whose run is unknown or another run: it is created instead', () => {
    for (const runId of [undefined, '', 'r2']) {
      const s: ServerModel = { exists: true, tags: { [TAG_MODEL]: 'm' }, versions: [{ version: '3', stage: 'None', ...(runId !== undefined ? { runId } : {}), tags: {} }], aliases: {} };
      const d: DesiredModel = { ...base, versions: [{ version: 1, stage: 'Staging', origin: { source: 'models:/m-1', runId: 'r1', registered: { name: NAME, version: '3' } } }], aliases: {} };
      const { actions } = planSync(d, s);
      expect(actions.map((a) => a.kind), `server run_id ${String(runId)}`).toEqual(['create-version']);
    }
  });

  it('ownership: a missing model is sync\'s to create (tagged); an existing one only with modelgate.model = the manifest', () => {
    const d = { model: 'fraud', registeredModel: 'payments-fraud' };
    expect(ownershipProblem(d, { exists: false })).toBeUndefined();
    expect(ownershipProblem(d, { exists: true, tags: { [TAG_MODEL]: 'fraud' } })).toBeUndefined();
    expect(ownershipProblem(d, { exists: true })).toMatch(/carries no modelgate\.model tag/);
    expect(ownershipProblem(d, { exists: true, tags: {} })).toMatch(/carries no modelgate\.model tag/);
    for (const other of ['payments-fraud', 'Fraud', 'fraud ', '']) expect(ownershipProblem(d, { exists: true, tags: { [TAG_MODEL]: other } })).toMatch(/is governed by the manifest of/);
    // A tag value is the server's: shown inert, never as terminal control sequences.
    expect(ownershipProblem(d, { exists: true, tags: { [TAG_MODEL]: 'x\u001b[2Jy' } })).toContain("'x\\x1b[2Jy'");
    const { actions } = planSync({ ...base, model: 'fraud', registeredModel: 'payments-fraud', versions: [], aliases: {} }, { exists: false, versions: [], aliases: {} });
    expect(actions).toEqual([{ kind: 'create-model', model: 'fraud', name: 'payments-fraud', tags: { [TAG_MODEL]: 'fraud' } }]);
  });

  it('adopts the registry version a snapshot was taken from instead of registering it twice', () => {
    const s: ServerModel = { exists: true, versions: [{ version: '3', stage: 'None', runId: 'r1', tags: {} }], aliases: {} };
    const d: DesiredModel = { ...base, versions: [{ version: 1, stage: 'Staging', origin: { source: 'models:/m-1', runId: 'r1', registered: { name: NAME, version: '3' } } }], aliases: { champion: 1 } };
    const { actions } = planSync(d, s);
    expect(actions.map((a) => a.kind)).toEqual(['set-tag', 'set-tag', 'set-alias']);
    expect(actions[0]).toMatchObject({ key: TAG_VERSION, value: '1', mlflowVersion: '3' });
  });

  it('skips a version that is not a snapshot with a note, and removes the alias it cannot set', () => {
    const s: ServerModel = { exists: true, versions: [{ version: '1', stage: 'None', tags: {} }], aliases: { champion: '1' } };
    const d: DesiredModel = { ...base, versions: [{ version: 1, stage: 'Production', origin: { skip: 'its run mlruns/1/abc is not an MLflow snapshot' } }], aliases: { champion: 1, latest: 1 } };
    const plan = planSync(d, s);
    expect(plan.actions).toEqual([expect.objectContaining({ kind: 'delete-alias', alias: 'champion' })]);
    expect(plan.notes).toEqual([
      'v1 is not synced: its run mlruns/1/abc is not an MLflow snapshot',
      "@champion is not set: v1 is not synced",
      "@latest is not set: MLflow reserves the alias name 'latest'",
    ]);
  });

  it('with stages, demotes before it promotes', () => {
    const s: ServerModel = {
      exists: true,
      versions: [
        { version: '1', stage: 'Production', tags: { [TAG_VERSION]: '1', [TAG_STAGE]: 'Archived' } },
        { version: '2', stage: 'None', tags: { [TAG_VERSION]: '2', [TAG_STAGE]: 'Production' } },
      ],
      aliases: {},
    };
    const d: DesiredModel = { ...base, stages: true, versions: [{ version: 2, stage: 'Production' }, { version: 1, stage: 'Archived' }] };
    expect(planSync(d, s).actions.map((a) => `${a.kind}:${'stage' in a ? a.stage : ''}`)).toEqual(['set-stage:Archived', 'set-stage:Production']);
  });
});
