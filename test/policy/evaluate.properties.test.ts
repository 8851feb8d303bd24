/** Properties of the engine over generated policies, runs and transitions (no waivers). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EnvironmentError } from '../../src/errors';
import type { Stage } from '../../src/manifest/types';
import type { ApprovalSource, ArtifactCheck } from '../../src/policy/context';
import type { Level, LoadedPolicy, MetricRule, StageRules, Target } from '../../src/policy/types';
import type { Transition } from '../../src/transitions/types';
import { columns, evaluate, manifest, NOW, policy, run, signature, type Fixture } from './checks/fixtures';

const STAGE = fc.constantFrom<Stage>('None', 'Staging', 'Production', 'Archived');
const TARGET = fc.constantFrom<Target>('Staging', 'Production', 'Archived', 'None', '@champion');
const METRIC = fc.constantFrom('val_auc', 'latency', 'auc_by_slice/a', 'auc_by_slice/b');
const VALUE = fc.oneof(fc.double({ min: -1, max: 2, noNaN: true }), fc.constantFrom(NaN, Infinity, 0, 0.88));
const LEVEL = fc.constantFrom<Level>('deny', 'warn');

const metricRule: fc.Arbitrary<MetricRule> = fc.record(
  {
    name: fc.constantFrom('val_auc', 'latency', 'auc_by_slice/*', 'missing'),
    min: fc.double({ min: 0, max: 1, noNaN: true }),
    max: fc.double({ min: 0, max: 2, noNaN: true }),
    baseline: fc.constantFrom<Target>('Production', '@champion'),
    maxDecrease: fc.double({ min: 0, max: 0.1, noNaN: true }),
    minRelIncrease: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
    direction: fc.constantFrom<'higher' | 'lower'>('higher', 'lower'),
    optional: fc.boolean(),
  },
  { requiredKeys: ['name'] },
);

const stageRules: fc.Arbitrary<StageRules> = fc.record(
  {
    from: fc.subarray<Stage>(['None', 'Staging', 'Production', 'Archived']),
    run: fc.record({ status: fc.constantFrom<string | string[]>('FINISHED', ['FINISHED', 'KILLED']) }, { requiredKeys: [] }),
    tags: fc.record({ required: fc.subarray(['data_version', 'author']), match: fc.constantFrom<Record<string, string>>({}, { author: '^[a-z]+$' }, { author: '([' }) }),
    params: fc.record({ required: fc.subarray(['seed']) }),
    signature: fc.record({ required: fc.boolean(), compatibleWith: fc.constantFrom<Target>('Production', '@champion') }, { requiredKeys: [] }),
    metrics: fc.array(metricRule, { maxLength: 3 }),
    minTimeInStage: fc.constantFrom('1h', '24h', '7d'),
    approvals: fc.record({ required: fc.integer({ min: 0, max: 2 }), from: fc.constantFrom<string[]>(['alice'], ['@acme/leads', 'bob']) }, { requiredKeys: ['required'] }),
    artifact: fc.record({ verify: fc.boolean() }),
  },
  { requiredKeys: [] },
);

const policyDoc = fc.record(
  {
    models: fc.constantFrom(['*'], ['churn-*'], ['fraud-*']),
    rules: fc.dictionary(TARGET, stageRules, { maxKeys: 3 }),
    retention: fc.record({ archivedDays: fc.integer({ min: 0, max: 60 }) }),
    enforcement: fc.record({ default: LEVEL, overrides: fc.dictionary(fc.constantFrom('metric:*', 'transition.allowed', 'run.exists', 'tag:*'), LEVEL) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const failure = fc.constantFrom(new EnvironmentError('S3 down'), new Error('boom'));

const runRecord = (version: number) =>
  fc.oneof(
    fc
      .record({
        metrics: fc.dictionary(METRIC, VALUE, { maxKeys: 4 }),
        tags: fc.dictionary(fc.constantFrom('data_version', 'author'), fc.constantFrom('', 'ann', 'X1')),
        params: fc.dictionary(fc.constantFrom('seed'), fc.constantFrom('42', '')),
        status: fc.constantFrom<'FINISHED' | 'FAILED' | undefined>('FINISHED', 'FAILED', undefined),
        inputs: fc.constantFrom(columns(['age', 'long']), columns(['age', 'integer']), columns(['age', 'long'], ['x', 'double', true])),
      })
      .map(({ inputs, status, ...r }) => run(version, { ...r, ...(status ? { status } : { status: undefined }), signature: signature(inputs) })),
    failure,
  );

const scenario = fc.record({
  policies: fc.array(policyDoc, { minLength: 0, maxLength: 3 }),
  extra: policyDoc,
  from: fc.option(STAGE, { nil: null }),
  to: fc.option(TARGET, { nil: null }),
  via: fc.constantFrom<Transition['via'] | undefined>(undefined, 'rollback', 'drift'),
  run2: runRecord(2),
  run3: runRecord(3),
  championStage: STAGE,
  otherInProduction: fc.boolean(),
  approvals: fc.constantFrom<ApprovalSource>({ kind: 'none' }, { kind: 'actor', actor: 'alice' }, { kind: 'actor', actor: 'mallory' }, { kind: 'pr', approvers: [{ login: 'carol' }, { login: 'bob' }] }),
  teams: fc.oneof(fc.constant<string[] | Error>(['carol']), failure),
  artifact: fc.oneof(fc.constantFrom<ArtifactCheck>({ uri: 'a', exists: true, expected: 'sha256:1', actual: 'sha256:1' }, { uri: 'a', exists: false }, { uri: 'a', exists: true, actual: 'sha256:2', expected: 'sha256:1' }), failure),
  enteredHoursAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  archivedDaysAgo: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function toPolicies(docs: Scenario['policies']): LoadedPolicy[] {
  return docs.map((d, i) => policy(`policies/p${i}.yaml`, d as Partial<LoadedPolicy['doc']>));
}

function fixture(s: Scenario, policies: LoadedPolicy[]): Fixture {
  const to = s.to;
  const from = s.via === 'drift' && to !== null && !to.startsWith('@') ? (to as Stage) : s.from;
  const headStage: Stage = to === null || to.startsWith('@') ? (from ?? 'None') : (to as Stage);
  const head = manifest(
    [
      { version: 2, stage: s.otherInProduction ? 'Production' : s.championStage },
      { version: 3, stage: headStage },
    ],
    { champion: 2 },
  );
  const base = manifest([{ version: 2, stage: s.championStage }, ...(from === null ? [] : [{ version: 3, stage: from }])], { champion: 2 });
  return {
    transition: { version: 3, from, to, kind: to === null ? 'remove' : from === null ? 'register' : to.startsWith('@') ? 'alias' : 'stage', ...(s.via ? { via: s.via } : {}) },
    policies,
    head,
    base,
    runs: { 2: s.run2, 3: s.run3 },
    approvals: s.approvals,
    teams: { '@acme/leads': s.teams },
    artifact: s.artifact,
    ...(s.enteredHoursAgo !== undefined ? { entered: new Date(NOW.getTime() - s.enteredHoursAgo * 3_600_000) } : {}),
    ...(s.archivedDaysAgo !== undefined ? { archived: { 3: new Date(NOW.getTime() - s.archivedDaysAgo * 86_400_000) } } : {}),
  };
}

describe('evaluateTransition properties', () => {
  it('decides deny exactly when some check has status fail', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const r = await evaluate(fixture(s, toPolicies(s.policies)));
        expect(r.decision).toBe(r.checks.some((c) => c.status === 'fail') ? 'deny' : 'allow');
        for (const c of r.checks) {
          // Status and level agree: a warn-level failure is `warn`, a deny-level one `fail`.
          if (c.status === 'fail') expect(c.level).toBe('deny');
          if (c.status === 'warn') expect(c.level).toBe('warn');
        }
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 300) },
    );
  });

  it('is deterministic: the same inputs give deep-equal results', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const a = await evaluate(fixture(s, toPolicies(s.policies)));
        const b = await evaluate(fixture(s, toPolicies(s.policies)));
        expect(b).toEqual(a);
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 150) },
    );
  });

  it('is monotonic: adding a policy never turns a deny into an allow', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.nat(), async (s, at) => {
        const policies = toPolicies(s.policies);
        // The one deliberate exception is the first policy to govern a model: until then
        // modelgate's built-ins judge it at level deny (an ungoverned model is never promoted);
        // from then on the governing policies' enforcement is in charge. Start from a governed model.
        const governs = (p: LoadedPolicy) => (p.doc.models ?? ['*']).some((g) => g === '*' || g === 'churn-*');
        fc.pre(policies.some(governs));
        const before = await evaluate(fixture(s, policies));
        const more = [...policies];
        more.splice(at % (policies.length + 1), 0, policy('policies/extra.yaml', s.extra as Partial<LoadedPolicy['doc']>));
        const after = await evaluate(fixture(s, more));
        if (before.decision === 'deny') expect(after.decision).toBe('deny');
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 300) },
    );
  });
});

