/**
 * run.source through the Action on pull_request (`node dist/action.js`, GitHub's merge commit):
 * the workflow passes MLFLOW_* as env; a PR promoting a snapshotted version is allowed while
 * the server agrees, denied when the run changed there, and an error (exit 3, decision=error)
 * when the job has no MLflow secrets, as on a fork's pull request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { startMlflowServer, type MlflowStandIn } from '../helpers/mlflowServer';
import { actionsCheckout, expectTokenHidden, makeWorld, pullRequestPayload, pushPullRequest, pushToMain, runAction, TOKEN, type ActionRun, type PullRequestRefs, type Runner, type World } from './harness';

const CHILD = '3c230151bf964df78cdeb657d6ddc136';
const MLFLOW_TOKEN = 'tok-action-9d2e';
const POLICY = `apiVersion: modelgate/v1
kind: Policy
name: sgd
models: [sgd-classifier]
rules:
  Staging:
    run: { source: verified }
`;
let world: World;
let server: MlflowStandIn;
let mlflowEnv: Record<string, string>;
const runners: Runner[] = [];

beforeAll(async () => {
  world = await makeWorld({ 'policies/sgd.yaml': POLICY }, { publicRepo: true });
  server = await startMlflowServer({ lifetimeMs: 300_000, auth: { token: MLFLOW_TOKEN } });
  mlflowEnv = { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: MLFLOW_TOKEN, MODELGATE_MLFLOW_ATTEMPTS: '2', MODELGATE_MLFLOW_BACKOFF_MS: '1' };
  await pushToMain(world, async (dev) => {
    const r = await modelgate(dev.dir, ['register', 'sgd-classifier', '--run', `runs:/${CHILD}`, '--actor', 'alice'], mlflowEnv);
    expect(r.code, r.stderr).toBe(0);
  }, 'register sgd-classifier v1 from the tracking server');
});
afterAll(async () => {
  await Promise.all(runners.map((r) => r.cleanup()));
  await server?.stop();
  await world?.cleanup();
});

async function promotePr(number: number): Promise<PullRequestRefs> {
  return pushPullRequest(world, number, async (dev) => {
    const path = join(dev.dir, 'registry/sgd-classifier.yaml');
    await writeFile(path, (await readFile(path, 'utf8')).replace('stage: None', 'stage: Staging'));
  });
}

async function gate(pr: PullRequestRefs, env: Record<string, string>): Promise<ActionRun> {
  const runner = await actionsCheckout(world, { pr: pr.number, sha: pr.merge });
  runners.push(runner);
  const run = await runAction(world, runner, { event: 'pull_request', payload: pullRequestPayload(pr), env });
  expectTokenHidden(run, TOKEN, (ok, what) => expect(ok, what).toBe(true));
  expect(run.stdout + run.stderr + run.summary).not.toContain(MLFLOW_TOKEN);
  return run;
}

describe('run.source through the Action on pull_request', () => {
  it('allowed while the server agrees with the snapshot', async () => {
    const run = await gate(await promotePr(61), mlflowEnv);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.decision).toBe('allow');
    expect(run.summary).toContain('run.source');
  });

  it('no MLflow secrets (a fork PR): exit 3, decision=error, never allowed', async () => {
    const run = await gate(await promotePr(62), {});
    expect(run.code).toBe(3);
    expect(run.outputs.decision).toBe('error');
  });

  it('denied when the run changed on the server, naming the difference', async () => {
    server.runs.get(CHILD)!.data.metrics.find((m) => m.key === 'val_auc')!.value = 0.81;
    const run = await gate(await promotePr(63), mlflowEnv);
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe('deny');
    expect(run.summary).toContain('val\\_auc is 0.81 on the server, 0.757624 in the snapshot'); // markdown-escaped
  });
});
