/**
 * `tags.match` through the CLI (in-process: cli/main) on a real repository: a
 * catastrophic-backtracking pattern in the base policy judges a PR-controlled tag in
 * milliseconds (it hung the gate for hours before), a tag value past MLflow's 8,000-character limit is a `could not evaluate` deny, and
 * a pattern RE2 cannot run is exit 2 naming the policy file, line and pattern.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { modelgateInProcess as modelgate } from '../helpers/cliInProcess';
import type { TestRepo } from '../helpers/git';
import { makeRegistry, MANIFEST, POLICY, runRecord } from '../helpers/registry';

const PROMOTE_3 = MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production');
const withMatch = (pattern: string) => POLICY.replace('  Production:\n    from: [Staging]\n', () => `  Production:\n    from: [Staging]\n    tags: { match: { data_version: '${pattern}' } }\n`);
const v3With = (dataVersion: string) => {
  const r = JSON.parse(runRecord('run-v3', { val_auc: 0.882, latency_p99_ms: 8.4 }));
  r.tags.data_version = dataVersion;
  return JSON.stringify(r);
};

let repo: TestRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

async function checkPromotion(pattern: string, dataVersion: string) {
  repo = await makeRegistry({ 'policies/churn.yaml': withMatch(pattern), 'runs/v3.json': v3With(dataVersion) });
  await repo.write('registry/churn-predictor.yaml', PROMOTE_3);
  const t0 = Date.now();
  const r = await modelgate(repo.dir, ['check', '--format', 'json']);
  return { ...r, ms: Date.now() - t0 };
}

const tagCheck = (stdout: string) => (JSON.parse(stdout).transitions as { checks: { id: string; status: string; message: string }[] }[]).flatMap((t) => t.checks).find((c) => c.id === 'tag:data_version.match');

describe('tags.match on PR-controlled values', () => {
  it('^([a-z0-9]+-?)+$ on a 40-character value that does not match: denied in seconds, not hours', async () => {
    const r = await checkPromotion('^([a-z0-9]+-?)+$', `${'a'.repeat(40)}!`);
    expect(r.code, r.stderr).toBe(1);
    expect(tagCheck(r.stdout)).toMatchObject({ status: 'fail' });
    expect(r.ms).toBeLessThan(15_000);
  });

  it('the same pattern on a matching value passes', async () => {
    const r = await checkPromotion('^([a-z0-9]+-?)+$', '2026-10-31');
    expect(tagCheck(r.stdout)).toMatchObject({ status: 'pass' });
  });

  it('a tag value of 8,001 characters: could not evaluate (MLflow caps tags at 8,000), deny', async () => {
    const r = await checkPromotion('^[a-z]+$', 'a'.repeat(8001));
    expect(r.code, r.stderr).toBe(1);
    expect(tagCheck(r.stdout)?.message).toMatch(/^could not evaluate: tag data_version is 8001 characters, longer than MLflow's 8,000-character limit/);
  });

  it('a lookahead in the base policy: exit 2 naming the file, line and pattern', async () => {
    const r = await checkPromotion('^(?=.*[0-9])[a-z0-9-]+$', '2026-10-31');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/policies\/churn\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('tags.match pattern "^(?=.*[0-9])[a-z0-9-]+$" for tag \'data_version\' cannot run in linear time');
  });
});
