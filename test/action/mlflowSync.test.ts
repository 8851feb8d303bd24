/**
 * Input `sync: mlflow` through `node dist/action.js`, against the MLflow stand-in: after
 * `record` on a push, and after a dispatched decision is pushed, the MLflow Model Registry
 * follows git (aliases, versions, modelgate.* tags). A server failing after the push fails the
 * step with exit 3 ("git is ahead of MLflow; re-run sync") while `decision` stays what git
 * decided; the workflow forgetting MLFLOW_TRACKING_URI is exit 2 before anything is pushed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { POLICY } from '../helpers/registry';
import { startMlflowServer, type MlflowStandIn } from '../helpers/mlflowServer';
import { actionsCheckout, dispatchPayload, expectTokenHidden, makeWorld, pushPayload, pushPullRequest, pushToMain, runAction, TOKEN, type ActionRun, type Runner, type World } from './harness';

const CHILD = '3c230151bf964df78cdeb657d6ddc136';
const MODEL = 'churn-classifier';
const MLFLOW_TOKEN = 'tok-sync-51c0';
const CLASSIFIER_POLICY = `apiVersion: modelgate/v1
kind: Policy
name: classifier
models: [${MODEL}]
rules:
  Production:
    from: [None, Staging]
    run: { status: FINISHED }
`;

let world: World;
let server: MlflowStandIn;
let mlflowEnv: Record<string, string>;
const runners: Runner[] = [];

beforeAll(async () => {
  world = await makeWorld({ 'policies/churn.yaml': POLICY.replace('models: ["churn-*"]', 'models: [churn-predictor]'), 'policies/classifier.yaml': CLASSIFIER_POLICY });
  server = await startMlflowServer({ lifetimeMs: 400_000, auth: { token: MLFLOW_TOKEN } });
  // The seeded churn-classifier predates modelgate: this tag stands for its adoption (import mlflow --commit sets it), without which sync refuses it.
  server.models.get(MODEL)!.tags.push({ key: 'modelgate.model', value: MODEL });
  mlflowEnv = { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: MLFLOW_TOKEN, MODELGATE_MLFLOW_ATTEMPTS: '2', MODELGATE_MLFLOW_BACKOFF_MS: '1' };
  // v1 from a run (MLflow has no version for it yet), v2 from registry version 2 (adopted).
  await pushToMain(world, async (dev) => {
    for (const run of [`runs:/${CHILD}`, `models:/${MODEL}/2`]) {
      const r = await modelgate(dev.dir, ['register', MODEL, '--run', run, '--actor', 'alice', '--commit'], mlflowEnv);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 'register churn-classifier v1 and v2 from the tracking server');
});
afterAll(async () => {
  await Promise.all(runners.map((r) => r.cleanup()));
  await server?.stop();
  await world?.cleanup();
});

async function checkoutMain(): Promise<Runner> {
  const sha = (await world.remoteGit(['rev-parse', 'main'])).trim();
  const r = await actionsCheckout(world, { branch: 'main', sha });
  runners.push(r);
  return r;
}

function hidden(run: ActionRun): void {
  expectTokenHidden(run, TOKEN, (ok, what) => expect(ok, what).toBe(true));
  expect(run.stdout + run.stderr + run.summary).not.toContain(MLFLOW_TOKEN);
}

async function dispatch(inputs: Record<string, string>, env: Record<string, string> = mlflowEnv): Promise<ActionRun> {
  const runner = await checkoutMain();
  const run = await runAction(world, runner, { event: 'workflow_dispatch', payload: dispatchPayload(inputs, 'alice'), inputs: { sync: 'mlflow', ...inputs }, actor: 'alice', env });
  hidden(run);
  return run;
}

const remoteHead = async () => (await world.remoteGit(['rev-parse', 'main'])).trim();

/** The hash of the latest audit record of each version, as the remote's main has it. */
async function remoteAuditHeads(): Promise<Map<number, string>> {
  const text = await world.remoteGit(['show', `main:audit/${MODEL}.jsonl`]);
  const heads = new Map<number, string>();
  for (const l of text.trim().split('\n')) {
    const r = JSON.parse(l) as { version: number; hash: string };
    heads.set(r.version, r.hash);
  }
  return heads;
}

const mlflowOf = (n: number) => server.models.get(MODEL)!.versions.find((v) => v.tags.some((t) => t.key === 'modelgate.version' && t.value === String(n)));
const tag = (n: number, key: string) => mlflowOf(n)?.tags.find((t) => t.key === key)?.value;

describe('input sync: mlflow', () => {
  it('on push: record, push the audit commit, then MLflow follows the merged change; a re-run writes nothing to MLflow', async () => {
    const before = await remoteHead();
    const merged = await pushToMain(world, async (dev) => {
      const path = join(dev.dir, `registry/${MODEL}.yaml`);
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace(/(- version: 1\n(?:.*\n)*?\s+stage: )None/, '$1Production') + 'aliases:\n  champion: 1\n');
    }, 'Merge pull request #12: churn-classifier v1 to Production, @champion');
    const runner = await checkoutMain();
    const payload = pushPayload({ before, after: merged });
    const run = await runAction(world, runner, { event: 'push', payload, inputs: { sync: 'mlflow' }, env: mlflowEnv });
    hidden(run);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(run.outputs['commit-sha']).toBe(await remoteHead());
    expect(run.stdout).toMatch(/synced: \d+ writes; MLflow matches git/);
    expect(run.summary).toContain('### modelgate sync mlflow');

    // The audit commit's records are what MLflow's modelgate.audit tags name.
    const heads = await remoteAuditHeads();
    const v1 = mlflowOf(1)!;
    expect(v1).toMatchObject({ source: 'models:/m-a1032d507ff04e4e8623a178004f7a80', run_id: CHILD });
    expect(tag(1, 'modelgate.stage')).toBe('Production');
    expect(tag(1, 'modelgate.audit')).toBe(heads.get(1));
    expect(mlflowOf(2)?.version).toBe('2'); // adopted, not registered twice
    expect(tag(2, 'modelgate.audit')).toBe(heads.get(2));
    expect(Object.fromEntries(server.models.get(MODEL)!.aliases)).toEqual({ champion: v1.version });

    // Re-running the job: nothing left to record, nothing to write to MLflow.
    const writes = server.writes().length;
    const again = await runAction(world, await checkoutMain(), { event: 'push', payload, inputs: { sync: 'mlflow' }, env: mlflowEnv });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(server.writes()).toHaveLength(writes);
  });

  it('on workflow_dispatch: each pushed decision reaches MLflow (a stage tag, then the alias)', async () => {
    const staged = await dispatch({ command: 'promote', model: MODEL, version: '2', to: 'Production', reason: 'v2 wins the shadow test' });
    expect(staged.code, staged.stdout + staged.stderr).toBe(0);
    expect(tag(2, 'modelgate.stage')).toBe('Production');
    expect(tag(1, 'modelgate.stage')).toBe('Archived'); // displaced by the promotion
    const run = await dispatch({ command: 'promote', model: MODEL, version: '2', to: '@champion', reason: 'v2 serves now' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(run.outputs['commit-sha']).toBe(await remoteHead());
    expect(server.models.get(MODEL)!.aliases.get('champion')).toBe('2');
    expect(tag(2, 'modelgate.audit')).toBe((await remoteAuditHeads()).get(2));
  });

  it('MLflow failing after the push: exit 3, "git is ahead of MLflow; re-run sync", decision stays allow; sync completes it later', async () => {
    const before = await remoteHead();
    server.failWrite(1, { times: 2 }); // the first write and its retry
    const run = await dispatch({ command: 'promote', model: MODEL, version: '2', to: '@challenger', reason: 'shadow v2 too' });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.outputs.decision).toBe('allow');
    const head = await remoteHead();
    expect(head).not.toBe(before); // git moved
    expect(run.outputs['commit-sha']).toBe(head);
    expect(run.stdout).toContain('git is ahead of MLflow; re-run sync');
    expect(run.stdout).toMatch(/not done: .*point @challenger/);
    expect(run.summary).toContain('git is ahead of MLflow; re-run sync');
    expect(server.models.get(MODEL)!.aliases.has('challenger')).toBe(false);

    // Re-running the sync (here with the CLI on a fresh checkout of main) completes it.
    const runner = await checkoutMain();
    const r = await modelgate(runner.workspace, ['sync', 'mlflow', MODEL], mlflowEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(server.models.get(MODEL)!.aliases.get('challenger')).toBe('2');
  });

  it('sync: mlflow without MLFLOW_TRACKING_URI is exit 2 before anything is recorded or pushed; an unknown sync value too', async () => {
    const before = await remoteHead();
    const run = await dispatch({ command: 'archive', model: MODEL, version: '1', reason: 'retire' }, {});
    expect(run.code).toBe(2);
    expect(run.outputs.decision).toBe('error');
    expect(run.stdout).toMatch(/needs MLFLOW_TRACKING_URI/);
    expect(await remoteHead()).toBe(before);
    const bad = await dispatch({ command: 'archive', model: MODEL, version: '1', reason: 'retire', sync: 'wandb' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/input 'sync' must be mlflow or empty/);
    expect(await remoteHead()).toBe(before);
  });

  it('command: record with sync: mlflow on a push to another branch than the default is exit 2 before anything is recorded or synced', async () => {
    const before = await remoteHead();
    const writes = server.writes().length;
    // A feature branch whose head moves @champion: nobody reviewed it.
    const pr = await pushPullRequest(world, 31, async (dev) => {
      const path = join(dev.dir, `registry/${MODEL}.yaml`);
      await writeFile(path, (await readFile(path, 'utf8')).replace(/champion: \d+/, 'champion: 1'));
    });
    await world.dev.git(['push', '-q', '-f', 'origin', `${pr.head}:refs/heads/pr-31`]);
    const runner = await actionsCheckout(world, { branch: 'pr-31', sha: pr.head });
    runners.push(runner);
    for (const payload of [pushPayload({ before: pr.base, after: pr.head, ref: 'refs/heads/pr-31' }), { ...pushPayload({ before: pr.base, after: pr.head, ref: 'refs/heads/pr-31' }), repository: {} }]) {
      const run = await runAction(world, runner, { event: 'push', payload, inputs: { command: 'record', sync: 'mlflow' }, env: mlflowEnv });
      hidden(run);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.outputs.decision).toBe('error');
      expect(run.stdout).toMatch(/input 'sync: mlflow' with record runs only on the default branch .*this run is on 'refs\/heads\/pr-31'/);
      expect(await remoteHead()).toBe(before);
      expect((await world.remoteGit(['rev-parse', 'refs/heads/pr-31'])).trim()).toBe(pr.head); // no audit commit pushed
      expect(server.writes()).toHaveLength(writes);
    }
  });
});
