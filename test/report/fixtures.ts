/** Reports shaped like the ones `check` builds, for the renderer tests. */
import type { CheckReport, TransitionResult, CheckResult } from '../../src/policy/types';

/** The input behind the SPEC section 5 `check --format json` example. */
export function specExample(): CheckReport {
  return {
    schemaVersion: 1,
    decision: 'deny',
    summary: { transitions: 2, allowed: 1, denied: 1, warnings: 1 },
    transitions: [
      {
        model: 'churn-predictor',
        version: 3,
        kind: 'stage',
        from: 'Staging',
        to: 'Production',
        decision: 'deny',
        checks: [
          {
            id: 'metric:val_auc.min',
            status: 'fail',
            level: 'deny',
            message: 'val_auc 0.861 is below 0.88',
            actual: 0.861,
            expected: 0.88,
            policy: 'policies/churn.yaml',
          },
        ],
      },
    ],
  };
}

export function pass(id: string, message = `${id} ok`): CheckResult {
  return { id, status: 'pass', level: 'deny', message, policy: 'policies/churn.yaml' };
}

/** A fuller report: one denied promotion with evidence and lineage, one allowed with a warning, a global check. */
export function richReport(): CheckReport {
  const denied: TransitionResult = {
    model: 'churn-predictor',
    version: 3,
    kind: 'stage',
    from: 'Staging',
    to: 'Production',
    decision: 'deny',
    file: 'registry/churn-predictor.yaml',
    line: 14,
    checks: [
      pass('run.status'),
      pass('tag:data_version.required'),
      { id: 'metric:val_auc.min', status: 'fail', level: 'deny', message: 'val_auc 0.861 is below 0.88', actual: 0.861, expected: 0.88, policy: 'policies/churn.yaml' },
      {
        id: 'metric:val_auc.maxDecrease',
        status: 'waived',
        level: 'deny',
        message: 'val_auc fell 0.02 below the champion',
        policy: 'policies/churn.yaml',
        waiver: { reason: 'holiday data gap', expires: '2026-12-31', approvedBy: 'alice' },
        baseline: { version: 2, value: 0.881 },
      },
      { id: 'approvals.required', status: 'skipped', level: 'deny', message: 'approvals are verified in CI', policy: 'policies/churn.yaml' },
    ],
    lineage: { run: 'mlruns/1/abc', runId: 'abc', dataVersion: '2024-03-15', gitCommit: '3f7c2e8d'.repeat(5), artifact: 's3://ml-models/churn/3/', digest: 'sha256:' + 'ab'.repeat(32) },
    evidence: { metrics: { val_auc: 0.861, latency_p99_ms: 8 }, baseline: { version: 2, metrics: { val_auc: 0.881, latency_p99_ms: 9.5 } } },
  };
  const allowed: TransitionResult = {
    model: 'fraud-model',
    version: 7,
    kind: 'stage',
    from: 'None',
    to: 'Staging',
    decision: 'allow',
    checks: [
      pass('run.status'),
      { id: 'metric:latency_p99_ms.max', status: 'warn', level: 'warn', message: 'latency_p99_ms 12 is above 10', actual: 12, expected: 10, policy: 'policies/fraud.yaml' },
    ],
  };
  return {
    schemaVersion: 1,
    decision: 'deny',
    summary: { transitions: 2, allowed: 1, denied: 1, warnings: 2 },
    transitions: [denied, allowed],
    checks: [{ id: 'policy.unchanged', status: 'warn', level: 'warn', message: 'policies/churn.yaml changed in this change; the base policies judged it' }],
  };
}
