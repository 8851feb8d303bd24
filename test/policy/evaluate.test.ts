import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors';
import type { StageRules } from '../../src/policy/types';
import { evaluateTransition } from '../../src/policy/evaluate';
import { LoaderFault } from '../../src/policy/context';
import { check, columns, context, evaluate, ids, manifest, MODEL, NOW, policy, promotion, run, signature, type Calls, type Fixture } from './checks/fixtures';

const sha = '3f7c2e8d'.padEnd(40, '0');
const digest = 'sha256:' + 'c'.repeat(64);

/** The SPEC section 4 example's Production rules. */
const production: StageRules = {
  from: ['Staging'],
  run: { status: 'FINISHED' },
  tags: { required: ['data_version'], match: { 'mlflow.source.git.commit': '^[0-9a-f]{40}$' } },
  params: { required: ['random_seed'] },
  minTimeInStage: '24h',
  approvals: { required: 1, from: ['@acme/ml-leads', 'alice'] },
  signature: { required: true, compatibleWith: 'Production' },
  artifact: { verify: true },
  metrics: [
    { name: 'val_auc', min: 0.88, baseline: 'Production', maxDecrease: 0.005 },
    { name: 'auc_by_slice/*', min: 0.8 },
    { name: 'latency_p99_ms', max: 10, direction: 'lower' },
  ],
};

const goodRun = run(3, {
  metrics: { val_auc: 0.8862, 'auc_by_slice/plan=basic': 0.84, latency_p99_ms: 8 },
  tags: { data_version: '2024-03-15', 'mlflow.source.git.commit': sha },
  params: { random_seed: '42' },
  artifact: 's3://ml-models/churn/3/',
});

function full(over: Partial<Fixture> = {}): Fixture {
  const f = promotion(production, {
    runs: { 2: run(2, { metrics: { val_auc: 0.8851 } }), 3: goodRun },
    entered: new Date(NOW.getTime() - 3 * 86_400_000),
    approvals: { kind: 'actor', actor: 'alice' },
    artifact: { uri: 's3://ml-models/churn/3/', exists: true, expected: digest, actual: digest },
    ...over,
  });
  f.head = manifest([{ version: 2, stage: 'Archived' }, { version: 3, stage: 'Production', digest }]);
  return f;
}

describe('evaluateTransition', () => {
  it('allows a promotion that meets every rule, listing every verdict in a stable order', async () => {
    const r = await evaluate(full());
    expect(r.decision).toBe('allow');
    expect(ids(r)).toEqual([
      'policy.covered',
      'transition.allowed',
      'transition.single-production',
      'run.exists',
      'run.status',
      'tag:data_version.required',
      'tag:mlflow.source.git.commit.match',
      'param:random_seed.required',
      'signature.required',
      'signature.compatible',
      'metric:val_auc.present',
      'metric:val_auc.min',
      'metric:val_auc.maxDecrease',
      'metric:auc_by_slice/*.present',
      'metric:auc_by_slice/plan=basic.min',
      'metric:latency_p99_ms.present',
      'metric:latency_p99_ms.max',
      'soak.minTimeInStage',
      'approvals.required',
      'artifact.exists',
      'artifact.digest',
    ]);
    expect(r.checks.every((c) => c.status === 'pass' && c.policy === 'policies/churn.yaml')).toBe(true);
    expect(r).toMatchObject({ model: MODEL, version: 3, kind: 'stage', from: 'Staging', to: 'Production' });
  });

  it('returns lineage and the evidence judged', async () => {
    const r = await evaluate(full());
    expect(r.lineage).toEqual({ run: 'runs/3.json', runId: 'run3', dataVersion: '2024-03-15', gitCommit: sha, artifact: 's3://ml-models/churn/3/', digest });
    expect(r.evidence).toEqual({
      metrics: { val_auc: 0.8862, 'auc_by_slice/plan=basic': 0.84, latency_p99_ms: 8 },
      baseline: { version: 2, metrics: { val_auc: 0.8851 } },
    });
  });

  it('takes the git commit from git_commit (W&B) when MLflow’s tag is absent', async () => {
    const r = await evaluate(promotion({ run: { status: 'FINISHED' } }, { runs: { 3: run(3, { tags: { git_commit: 'abc' } }) } }));
    expect(r.lineage?.gitCommit).toBe('abc');
  });

  it('denies when any deny check fails', async () => {
    const r = await evaluate(full({ runs: { 2: run(2, { metrics: { val_auc: 0.8851 } }), 3: { ...goodRun, metrics: { ...goodRun.metrics, val_auc: 0.861 } } } }));
    expect(r.decision).toBe('deny');
    expect(check(r, 'metric:val_auc.min').message).toBe('val_auc 0.861 is below 0.88');
  });

  it('judges a register straight to None by no rules unless a policy defines None', async () => {
    const f: Fixture = {
      transition: { version: 4, kind: 'register', from: null, to: 'None' },
      policies: [policy('policies/churn.yaml', { rules: { Production: production } })],
      head: manifest([{ version: 4, stage: 'None' }]),
      runs: {},
    };
    const calls: Calls = [];
    const r = await evaluate(f, calls);
    expect(r.decision).toBe('allow');
    expect(ids(r)).toEqual(['policy.covered', 'transition.allowed']);
    expect(calls).toEqual([]);
    f.policies = [policy('policies/churn.yaml', { rules: { None: { tags: { required: ['author'] } } } })];
    const ruled = await evaluate(f);
    expect(check(ruled, 'tag:author.required').status).toBe('fail');
  });

  it('keeps one check per (policy, check id), each naming its policy', async () => {
    const f = promotion({ metrics: [{ name: 'val_auc', min: 0.5 }, { name: 'val_auc', min: 0.9 }] }, { runs: { 3: run(3, { metrics: { val_auc: 0.8 } }) } });
    f.policies.push(policy('policies/org.yaml', { rules: { Production: { metrics: [{ name: 'val_auc', min: 0.7 }] } } }));
    const r = await evaluate(f);
    const mins = r.checks.filter((c) => c.id === 'metric:val_auc.min');
    expect(mins.map((c) => [c.policy, c.status])).toEqual([
      ['policies/churn.yaml', 'fail'], // the stricter duplicate wins: fail closed
      ['policies/org.yaml', 'pass'],
    ]);
  });

  it('ignores policies that do not match the model', async () => {
    const f = promotion({ run: { status: 'FINISHED' } });
    f.policies.push(policy('policies/fraud.yaml', { models: ['fraud-*'], rules: { Production: { tags: { required: ['x'] } } } }));
    expect(ids(await evaluate(f))).not.toContain('tag:x.required');
  });
});

describe('fail closed', () => {
  it('never passes or skips a check whose input could not be read, and never throws', async () => {
    const boom = new EnvironmentError('network unreachable');
    const f = full({
      runs: { 2: boom, 3: boom },
      entered: boom,
      artifact: boom,
      approvals: { kind: 'pr', approvers: [{ login: 'carol' }] },
      teams: { '@acme/ml-leads': boom },
    });
    const r = await evaluate(f);
    expect(r.decision).toBe('deny');
    const needingIo = r.checks.filter((c) => !['policy.covered', 'transition.allowed', 'transition.single-production'].includes(c.id));
    expect(needingIo.length).toBeGreaterThan(10);
    for (const c of needingIo) {
      expect(c.status, c.id).toBe('fail');
      expect(c.message, c.id).toMatch(/^could not evaluate: /);
    }
    expect(r.lineage).toBeUndefined();
  });

  it('fails closed even when the baseline lookup itself throws', async () => {
    const f = full();
    const ctx = context(f);
    ctx.baseline = async () => {
      throw new Error('git cat-file died');
    };
    const { result: r, faults } = await evaluateTransition(ctx);
    expect(check(r, 'metric:val_auc.maxDecrease').message).toBe('could not evaluate: could not find the version in Production: git cat-file died');
    expect(check(r, 'signature.compatible').status).toBe('fail');
    expect(r.decision).toBe('deny');
    expect(faults).toEqual([]); // a plain failure is a verdict, not a fault
  });

  it("returns a loader's environment failure (LoaderFault) as a fault next to the verdicts, once, and still fails closed", async () => {
    const f = full();
    const ctx = context(f);
    const outage = new EnvironmentError('S3 GetObject failed: 503 Slow Down');
    let asked = 0;
    ctx.run = async () => {
      asked++;
      throw new LoaderFault(outage);
    };
    const { result: r, faults } = await evaluateTransition(ctx);
    expect(faults).toEqual([outage]);
    expect(asked).toBe(1);
    expect(check(r, 'run.status').message).toBe('could not evaluate: S3 GetObject failed: 503 Slow Down');
    expect(r.decision).toBe('deny');
  });
});

describe('rollback', () => {
  function rollback(over: Partial<Fixture> = {}): Fixture {
    const f = full({ approvals: { kind: 'actor', actor: 'alice' }, ...over });
    f.transition = { version: 3, kind: 'stage', from: 'Archived', to: 'Production', via: 'rollback' };
    f.base = manifest([{ version: 2, stage: 'Production' }, { version: 3, stage: 'Archived' }]);
    return f;
  }

  it('ignores from and soak, skips relative metrics, and downgrades other failures to warn', async () => {
    const stale = { ...goodRun, metrics: { ...goodRun.metrics, val_auc: 0.5 }, tags: {} };
    const r = await evaluate(rollback({ runs: { 2: run(2, { metrics: { val_auc: 0.89 } }), 3: stale } }));
    expect(check(r, 'transition.allowed').status).toBe('pass');
    expect(ids(r)).not.toContain('soak.minTimeInStage');
    expect(check(r, 'metric:val_auc.maxDecrease').status).toBe('skipped');
    expect(check(r, 'metric:val_auc.min')).toMatchObject({ status: 'warn', level: 'warn' });
    expect(check(r, 'tag:data_version.required')).toMatchObject({ status: 'warn', level: 'warn' });
    expect(r.decision).toBe('allow');
  });

  it('still denies on artifact, signature compatibility with the version being replaced, and approvals', async () => {
    const broken = await evaluate(rollback({ artifact: { uri: 's3://x/', exists: false, expected: digest } }));
    expect(check(broken, 'artifact.exists')).toMatchObject({ status: 'fail', level: 'deny' });
    expect(broken.decision).toBe('deny');

    const incompatible = await evaluate(
      rollback({ runs: { 2: run(2, { signature: signature(columns(['age', 'long'], ['plan', 'string'])) }), 3: goodRun } }),
    );
    expect(check(incompatible, 'signature.compatible')).toMatchObject({ status: 'fail', level: 'deny' });
    expect(check(incompatible, 'signature.compatible').message).toMatch(/v2 \(Production\)/);

    const stranger = await evaluate(rollback({ approvals: { kind: 'actor', actor: 'mallory' }, teams: { '@acme/ml-leads': [] } }));
    expect(check(stranger, 'approvals.required')).toMatchObject({ status: 'fail', level: 'deny' });
  });
});

describe('drift (check --all)', () => {
  it('omits from, soak and approvals, and compares nothing with itself', async () => {
    const f = full();
    f.transition = { version: 3, kind: 'stage', from: 'Production', to: 'Production', via: 'drift' };
    f.base = f.head;
    f.entered = undefined;
    f.approvals = { kind: 'none' };
    const r = await evaluate(f);
    expect(ids(r)).not.toContain('transition.allowed');
    expect(ids(r)).not.toContain('soak.minTimeInStage');
    expect(ids(r)).not.toContain('approvals.required');
    expect(check(r, 'metric:val_auc.maxDecrease')).toMatchObject({ status: 'skipped' });
    expect(check(r, 'signature.compatible').status).toBe('pass');
    expect(r.decision).toBe('allow');
  });

  it('reports a version that no longer meets today’s policy', async () => {
    const f = full({ runs: { 3: { ...goodRun, metrics: { ...goodRun.metrics, val_auc: 0.87 } } } });
    f.transition = { version: 3, kind: 'stage', from: 'Production', to: 'Production', via: 'drift' };
    f.base = f.head;
    const r = await evaluate(f);
    expect(check(r, 'metric:val_auc.min').status).toBe('fail');
    expect(r.decision).toBe('deny');
  });
});
