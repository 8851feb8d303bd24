/**
 * The newcomer's loop of issue 15, end to end against the MLflow stand-in: import an MLflow
 * registered model (`import mlflow --commit`, by an admin on main), open a pull request that
 * promotes a version and moves @champion (judged by `check`), merge it, and `record` with
 * `sync: mlflow` (node dist/action.js) makes `models:/churn-classifier@champion` on the server
 * point at the promoted version; one rollback dispatch puts both back; an alias moved by hand on
 * the server is reported by `sync --dry-run` (exit 1) and put right by `sync`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { POLICY } from '../helpers/registry';
import { startMlflowServer, type MlflowStandIn } from '../helpers/mlflowServer';
import { actionsCheckout, dispatchPayload, makeWorld, pushPayload, pushToMain, runAction, type ActionRun, type Runner, type World } from './harness';

const MODEL = 'churn-classifier';
const FILE = `registry/${MODEL}.yaml`;
/** Production may be entered from None (MLflow versions have no Staging history), only a Production version may be @champion. */
const CLASSIFIER_POLICY = `apiVersion: modelgate/v1
kind: Policy
name: classifier
models: [${MODEL}]
rules:
  Production:
    from: [None, Staging]
    run: { status: FINISHED }
  "@champion":
    from: [Production]
`;

let world: World;
let server: MlflowStandIn;
let env: Record<string, string>;
const runners: Runner[] = [];

beforeAll(async () => {
  world = await makeWorld({ 'policies/churn.yaml': POLICY.replace('models: ["churn-*"]', 'models: [churn-predictor]'), 'policies/classifier.yaml': CLASSIFIER_POLICY });
  server = await startMlflowServer({ lifetimeMs: 400_000 });
  env = { MLFLOW_TRACKING_URI: server.url, MODELGATE_MLFLOW_ATTEMPTS: '2', MODELGATE_MLFLOW_BACKOFF_MS: '1' };
  // The team used MLflow's stages: v1 serves in Production as @champion, v2 is @challenger.
  server.models.get(MODEL)!.versions.find((v) => v.version === '1')!.current_stage = 'Production';
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

const remoteHead = async () => (await world.remoteGit(['rev-parse', 'main'])).trim();
const serverAliases = () => Object.fromEntries(server.models.get(MODEL)!.aliases);

function ok(run: ActionRun | { code: number; stdout: string; stderr: string }, what: string): void {
  expect(run.code, `${what}: ${run.stdout}${run.stderr}`).toBe(0);
}

describe('import, promote by pull request, sync; roll back by dispatch; drift', () => {
  it('takes models:/churn-classifier@champion where git decides, and reports a hand-made move', async () => {
    // 1. Adopt: an admin imports the registered model on main and pushes.
    const { dev } = world;
    await dev.git(['fetch', '-q', 'origin']);
    await dev.git(['checkout', '-q', '-B', 'main', 'origin/main']);
    ok(await modelgate(dev.dir, ['import', 'mlflow', MODEL, '--commit'], env), 'import');
    await dev.git(['push', '-q', 'origin', 'main']);
    const imported = await world.remoteGit(['show', `main:${FILE}`]);
    expect(imported).toMatch(/aliases:\n(?:\s+\w+: \d+\n)*\s+champion: 1/);
    expect(server.models.get(MODEL)!.versions.map((v) => v.tags.find((t) => t.key === 'modelgate.version')?.value)).toEqual(['1', '2']);

    // 2. The pull request: v2 to Production with @champion (v1 archived). Leaving @champion on
    //    the archived v1 is denied; moving it with v2 is allowed.
    const before = await remoteHead();
    const merged = await pushToMain(world, async (d) => {
      const alone = await modelgate(d.dir, ['promote', MODEL, '2', '--to', 'Production', '--actor', 'bob']);
      expect(alone.code, alone.stdout).toBe(1);
      expect(alone.stdout).toMatch(/@champion may only point at a version in Production/);
      const path = join(d.dir, FILE);
      const text = await readFile(path, 'utf8');
      const edited = text
        .replace(/(- version: 1\n(?:\s+(?!- )[^\n]*\n)*?\s+stage: )Production/, '$1Archived')
        .replace(/(- version: 2\n(?:\s+(?!- )[^\n]*\n)*?\s+stage: )None/, '$1Production')
        .replace(/champion: 1/, 'champion: 2');
      expect(edited).not.toBe(text);
      await writeFile(path, edited);
      const gate = await modelgate(d.dir, ['check', '--format', 'json']);
      expect(gate.code, gate.stdout).toBe(0);
      expect((JSON.parse(gate.stdout) as { decision: string }).decision).toBe('allow');
    }, 'Merge pull request #7: churn-classifier v2 to Production, @champion with it');

    // 3. The merge: record with sync: mlflow. @champion on the server follows git.
    const recorded = await runAction(world, await checkoutMain(), { event: 'push', payload: pushPayload({ before, after: merged }), inputs: { sync: 'mlflow' }, env });
    ok(recorded, 'record');
    expect(recorded.outputs['commit-sha']).toBe(await remoteHead());
    expect(serverAliases()).toMatchObject({ champion: '2' });
    const stageTag = (v: string) => server.models.get(MODEL)!.versions.find((x) => x.version === v)!.tags.find((t) => t.key === 'modelgate.stage')?.value;
    expect([stageTag('1'), stageTag('2')]).toEqual(['Archived', 'Production']);

    // 4. One rollback dispatch: v1 back in Production, @champion with it, on the server too.
    const rolled = await runAction(world, await checkoutMain(), {
      event: 'workflow_dispatch',
      payload: dispatchPayload({ command: 'rollback', model: MODEL, reason: 'v2 misroutes enterprise accounts' }, 'alice'),
      inputs: { command: 'rollback', model: MODEL, reason: 'v2 misroutes enterprise accounts', sync: 'mlflow' },
      actor: 'alice',
      env,
    });
    ok(rolled, 'rollback');
    expect(await world.remoteGit(['show', `main:${FILE}`])).toMatch(/champion: 1/);
    expect(serverAliases()).toMatchObject({ champion: '1' });

    // 5. Someone moves @champion by hand in the MLflow UI: the dry run names it, sync puts it back.
    server.models.get(MODEL)!.aliases.set('champion', '2');
    await dev.git(['fetch', '-q', 'origin']);
    await dev.git(['checkout', '-q', '-B', 'main', 'origin/main']);
    const writes = server.writes().length;
    const drift = await modelgate(dev.dir, ['sync', 'mlflow', '--dry-run'], env);
    expect(drift.code, drift.stdout + drift.stderr).toBe(1);
    expect(drift.stdout).toMatch(/champion/);
    expect(server.writes()).toHaveLength(writes);
    ok(await modelgate(dev.dir, ['sync', 'mlflow'], env), 'sync');
    expect(serverAliases()).toMatchObject({ champion: '1' });
    const clean = await modelgate(dev.dir, ['sync', 'mlflow', '--dry-run'], env);
    expect(clean.code, clean.stdout).toBe(0);
    ok(await modelgate(dev.dir, ['audit', 'verify']), 'audit verify');
  });
});
