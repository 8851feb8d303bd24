/**
 * A small, realistic registry repository for end-to-end tests: one governed model with an
 * Archived, a Production and a Staging version (portable JSON runs), a policy with absolute
 * and champion-relative thresholds, and comments in the manifest (edits must keep them).
 */
import { makeRepo } from './git';

export const MANIFEST = `apiVersion: modelgate/v1
kind: Model
name: churn-predictor
owner: "@acme/ml-churn"   # the team on call
riskTier: high
# v1 was the first production model; kept for rollback.
versions:
  - version: 1
    run: runs/v1.json
    stage: Archived
  - version: 2
    run: runs/v2.json
    stage: Production     # current champion
  - version: 3
    run: runs/v3.json     # retrained on March data
    stage: Staging
aliases:
  champion: 2
`;

export const POLICY = `apiVersion: modelgate/v1
kind: Policy
name: churn
models: ["churn-*"]
rules:
  Staging:
    from: [None]
    run: { status: FINISHED }
    tags: { required: [data_version] }
    metrics:
      - { name: val_auc, min: 0.80 }
  Production:
    from: [Staging]
    signature: { required: true, compatibleWith: Production }
    metrics:
      - { name: val_auc, min: 0.85, baseline: Production, maxDecrease: 0.005 }
      - { name: latency_p99_ms, max: 10, direction: lower }
retention: { archivedDays: 30 }
`;

const SIGNATURE = {
  inputs: [
    { type: 'long', name: 'tenure_months', required: true },
    { type: 'double', name: 'monthly_charges', required: true },
    { type: 'string', name: 'plan', required: true },
  ],
  outputs: [{ type: 'double' }],
};

export function runRecord(id: string, metrics: Record<string, number | string>, extra: Record<string, unknown> = {}): string {
  return (
    JSON.stringify(
      {
        run_id: id,
        experiment: 'churn',
        status: 'FINISHED',
        start_time: '2026-11-01T10:00:00Z',
        end_time: '2026-11-01T10:14:03Z',
        params: { random_seed: '42', learning_rate: '0.03' },
        metrics,
        tags: { data_version: '2026-10-31', 'mlflow.source.git.commit': '3f7c2e8d'.padEnd(40, '0') },
        signature: SIGNATURE,
        ...extra,
      },
      null,
      2,
    ) + '\n'
  );
}

export const BASE_FILES: Record<string, string> = {
  'modelgate.yaml': 'registry: registry\npolicies: policies\naudit: audit\n',
  'registry/churn-predictor.yaml': MANIFEST,
  'policies/churn.yaml': POLICY,
  'runs/v1.json': runRecord('run-v1', { val_auc: 0.861, latency_p99_ms: 7.1 }),
  'runs/v2.json': runRecord('run-v2', { val_auc: 0.874, latency_p99_ms: 7.9 }),
  'runs/v3.json': runRecord('run-v3', { val_auc: 0.882, latency_p99_ms: 8.4 }),
};

/** A committed registry repo (branch main). */
export async function makeRegistry(overrides: Record<string, string | null> = {}) {
  const files: Record<string, string> = { ...BASE_FILES };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete files[k];
    else files[k] = v;
  }
  const repo = await makeRepo(files, { commit: false });
  await repo.commitAll('registry: initial state');
  return repo;
}
