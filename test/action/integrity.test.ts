/**
 * The integrity classes through the Action on pull_request, end to end as the runner runs it
 * (`node dist/action.js`, a shallow checkout of GitHub's merge commit): a PR that edits a
 * registered version's evidence, forges audit records, or moves the registry is denied; a
 * registration PR stays allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST, runRecord } from '../helpers/registry';
import { sealRecord } from '../../src/audit/chain';
import { canonicalJson } from '../../src/audit/canonical';
import { actionsCheckout, expectTokenHidden, makeWorld, pullRequestPayload, pushPullRequest, runAction, TOKEN, type ActionRun, type PullRequestRefs, type Runner, type World } from './harness';

let world: World;
const runners: Runner[] = [];

beforeAll(async () => {
  world = await makeWorld({}, { publicRepo: true });
});
afterAll(async () => {
  await Promise.all(runners.map((r) => r.cleanup()));
  await world.cleanup();
});

async function gate(pr: PullRequestRefs): Promise<ActionRun> {
  const runner = await actionsCheckout(world, { pr: pr.number, sha: pr.merge });
  runners.push(runner);
  const run = await runAction(world, runner, { event: 'pull_request', payload: pullRequestPayload(pr) });
  expectTokenHidden(run, TOKEN, (ok, what) => expect(ok, what).toBe(true));
  return run;
}

const PROMOTE_3 = MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production');

describe('the Action judges what a PR does to registered versions and the audit log', () => {
  it.each([
    ['Production v2: a better run record, stage kept', 'runs/v2.json', 41],
    ['Archived v1: a better run record, stage kept', 'runs/v1.json', 42],
  ] as const)('%s → exit 1, decision=deny, version.immutable in the summary', async (_name, path, number) => {
    const pr = await pushPullRequest(world, number, (dev) => dev.write(path, runRecord('doctored', { val_auc: 0.99, latency_p99_ms: 1 })));
    const run = await gate(pr);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toContain('version.immutable');
    expect(run.summary).toContain('changed in place');
  });

  it('promoting v3 while improving its run in the same PR → denied, judged on the base values', async () => {
    const pr = await pushPullRequest(world, 50, async (dev) => {
      await dev.write('runs/v3.json', runRecord('run-v3', { val_auc: 0.99, latency_p99_ms: 1 }));
      await dev.write('registry/churn-predictor.yaml', PROMOTE_3);
    });
    const run = await gate(pr);
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toContain('version.immutable');
    expect(run.summary).toContain('0.882'); // v3's base val_auc, not the doctored 0.99
  });

  it('forged, well-chained records in the PR → denied by audit.appended', async () => {
    const pr = await pushPullRequest(world, 51, async (dev) => {
      await dev.write('registry/churn-predictor.yaml', PROMOTE_3);
      const old = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();
      const r1 = sealRecord({ time: old, actor: 'mallory', action: 'promote', model: 'churn-predictor', version: 3, from: 'Staging', to: 'Production', checks: [] });
      const r2 = sealRecord({ time: old, actor: 'mallory', action: 'archive', model: 'churn-predictor', version: 2, from: 'Production', to: 'Archived', checks: [] }, r1);
      await mkdir(join(dev.dir, 'audit'), { recursive: true });
      await writeFile(join(dev.dir, 'audit/churn-predictor.jsonl'), canonicalJson(r1) + '\n' + canonicalJson(r2) + '\n');
    });
    const run = await gate(pr);
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toContain('audit.appended');
  });

  it('moving the registry while putting Archived v1 into Production → denied', async () => {
    const pr = await pushPullRequest(world, 52, async (dev) => {
      await dev.write('modelgate.yaml', 'registry: models\npolicies: policies\naudit: audit\n');
      await rename(join(dev.dir, 'registry'), join(dev.dir, 'models'));
      const path = join(dev.dir, 'models/churn-predictor.yaml');
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace('stage: Archived', 'stage: Production').replace('stage: Production     # current champion', 'stage: Archived'));
    });
    const run = await gate(pr);
    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toContain('transition.allowed');
  });

  it('a registration PR (a new version with a new run file) stays allowed', async () => {
    const pr = await pushPullRequest(world, 53, async (dev) => {
      await dev.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.9, latency_p99_ms: 8 }));
      await dev.write('registry/churn-predictor.yaml', MANIFEST.replace('aliases:', '  - version: 4\n    run: runs/v4.json\n    stage: None\naliases:'));
    });
    const run = await gate(pr);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('allow');
  });
});
