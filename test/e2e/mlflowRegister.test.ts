/**
 * register --run runs:/… and models:/… end to end through the CLI against the MLflow stand-in:
 * the snapshot written and committed with the manifest, its digests, the credentials never
 * written or printed, and every fault ending in exit 2 or 3 with nothing written.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate, type RunResult } from '../helpers/cli';
import { makeRegistry } from '../helpers/registry';
import { startMlflowServer, type MlflowStandIn, type StandInOptions } from '../helpers/mlflowServer';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const CHILD = '3c230151bf964df78cdeb657d6ddc136';
const CHALLENGER_RUN = '0b47bc600c644e58b0f64a9269e7f38e';
const PASSWORD = 'pw-7f3a9c1e-secret';
const AUTH = { username: 'ci-bot', password: PASSWORD };
const ACTOR = ['--actor', 'alice'];

async function setup(opts: StandInOptions = { auth: AUTH }): Promise<{ repo: Repo; server: MlflowStandIn; env: Record<string, string> }> {
  const repo = await makeRegistry();
  const server = await startMlflowServer({ lifetimeMs: 60_000, ...opts });
  cleanups.push(() => repo.cleanup(), () => server.stop());
  const env = { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_USERNAME: AUTH.username, MLFLOW_TRACKING_PASSWORD: PASSWORD, MODELGATE_MLFLOW_BACKOFF_MS: '1' };
  return { repo, server, env };
}

async function clean(repo: Repo): Promise<void> {
  expect((await repo.git(['status', '--porcelain', '--untracked-files=all'])).trim()).toBe('');
}

function noSecrets(r: RunResult): void {
  const basic = Buffer.from(`${AUTH.username}:${PASSWORD}`).toString('base64');
  for (const s of [PASSWORD, basic]) expect(r.stdout + r.stderr).not.toContain(s);
}

describe('register --run runs:/<id>', () => {
  it('snapshots the run into runs/<model>/<run_id>.json and commits it with the manifest', async () => {
    const { repo, server, env } = await setup();
    const r = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, '--commit', ...ACTOR], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    noSecrets(r);
    const path = `runs/churn-classifier/${CHILD}.json`;
    const text = await readFile(join(repo.dir, path), 'utf8');
    const snap = JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a test reading JSON
    expect(snap).toMatchObject({
      run_id: CHILD,
      status: 'FINISHED',
      start_time: new Date(1796238073015).toISOString(),
      end_time: new Date(1796238077896).toISOString(),
      artifact: 'mlflow-artifacts:/1/models/m-a1032d507ff04e4e8623a178004f7a80/artifacts',
      source: {
        tracker: 'mlflow',
        tracking_uri: server.url,
        server_version: '3.5.2.dev0',
        run_id: CHILD,
        experiment_id: '1',
        model_id: 'm-a1032d507ff04e4e8623a178004f7a80',
      },
    });
    expect(snap.source.registered_model).toBeUndefined();
    expect(snap.params.alpha).toBe('0.1');
    expect(snap.tags['mlflow.source.git.commit']).toBe('3f1c2e9a7b4d5c6e8f90a1b2c3d4e5f60718293a');
    expect(snap.metrics.val_auc).toBe(0.757624);
    expect(snap.metrics['auc_by_slice/plan:pro']).toBe(0.726431);
    expect(snap.metric_history.batch_loss).toHaveLength(30);
    expect(snap.metric_history.val_auc[0]).toEqual({ step: 0, value: 0.755896, timestamp: 1796238073147 });
    expect(snap.signature.inputs.map((c: { name: string }) => c.name)).toEqual(['tenure_months', 'monthly_charges', 'support_tickets', 'usage_gb', 'contract_months', 'late_payments']);
    expect(snap.signature.outputs).toEqual([{ type: 'tensor', 'tensor-spec': { dtype: 'int64', shape: [-1] } }]);
    // Every history was read with max_results (without it a 3.x server loops).
    for (const q of server.requests.filter((x) => x.line.includes('get-history'))) expect(q.line).toContain('max_results=');

    const manifest = await readFile(join(repo.dir, 'registry/churn-classifier.yaml'), 'utf8');
    expect(manifest).toContain(`run: ${path}`);
    expect(manifest).toContain('artifact: mlflow-artifacts:/1/models/m-a1032d507ff04e4e8623a178004f7a80/artifacts');
    // The evidence digest is the snapshot file's own sha256 (SPEC 6, portable record).
    expect(manifest).toContain(`evidence: sha256:${createHash('sha256').update(text).digest('hex')}`);
    // The artifact digest: the model directory through the proxy (MLmodel and model.pkl).
    const files = ['MLmodel', 'model.pkl'].map((f) => [f, server.artifacts.get(`1/models/m-a1032d507ff04e4e8623a178004f7a80/artifacts/${f}`)!] as const);
    const listing = files.map(([f, b]) => `${createHash('sha256').update(b).digest('hex')}  ${f}\n`).join('');
    expect(manifest).toContain(`digest: sha256:${createHash('sha256').update(listing).digest('hex')}`);
    await clean(repo);
    expect(await repo.git(['ls-files', path])).toContain(path);
    // Credentials are in no file and no commit.
    const all = await repo.git(['log', '-p', '--all']);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(Buffer.from(`${AUTH.username}:${PASSWORD}`).toString('base64'));
    expect(server.requests.every((q) => q.authorization?.startsWith('Basic '))).toBe(true);
  });

  it('models:/<name>@<alias> and models:/<name>/<version> snapshot the version\'s run and logged model', async () => {
    const { repo, env } = await setup();
    const r = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', 'models:/churn-classifier@challenger', ...ACTOR], env);
    expect(r.code, r.stderr).toBe(0);
    const snap = JSON.parse(await readFile(join(repo.dir, `runs/churn-classifier/${CHALLENGER_RUN}.json`), 'utf8')) as { source: Record<string, unknown>; artifact: string };
    expect(snap.source).toMatchObject({ run_id: CHALLENGER_RUN, model_id: 'm-3d44c675b202439e9d47a1442c483b99', registered_model: { name: 'churn-classifier', version: '2' } });
    expect(snap.artifact).toBe('mlflow-artifacts:/1/models/m-3d44c675b202439e9d47a1442c483b99/artifacts');
    const v1 = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', 'models:/churn-classifier/1', ...ACTOR], env);
    expect(v1.code, v1.stderr).toBe(0);
    const s1 = JSON.parse(await readFile(join(repo.dir, `runs/churn-classifier/${CHILD}.json`), 'utf8')) as { source: Record<string, unknown> };
    expect(s1.source).toMatchObject({ registered_model: { name: 'churn-classifier', version: '1' } });
  });

  it.each([
    ['an unknown run', `runs:/0123456789abcdef0123456789abcdef`, /run 0123456789abcdef0123456789abcdef not found on the tracking server/],
    ['an unknown version', 'models:/churn-classifier/99', /models:\/churn-classifier\/99 not found/],
    ['an unknown alias', 'models:/churn-classifier@nope', /models:\/churn-classifier@nope not found/],
    ['an unknown model', 'models:/no-such-model/1', /models:\/no-such-model\/1 not found/],
    ['a malformed reference', 'models:/churn-classifier', /not a tracking-server reference/],
  ])('%s is exit 2, nothing written', async (_what, ref, message) => {
    const { repo, env } = await setup();
    const r = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', ref, ...ACTOR], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noSecrets(r);
    await clean(repo);
  });

  it('without MLFLOW_TRACKING_URI is exit 2', async () => {
    const { repo } = await setup();
    const r = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MLFLOW_TRACKING_URI/);
  });

  it('refused credentials are exit 3 and never printed', async () => {
    const { repo, env } = await setup();
    const r = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR], { ...env, MLFLOW_TRACKING_PASSWORD: 'wrong-pw-123' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused the credentials/);
    expect(r.stderr).not.toContain('wrong-pw-123');
    await clean(repo);
    const bearer = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR], { MLFLOW_TRACKING_URI: env.MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN: 'tok-wrong-456' });
    expect(bearer.code).toBe(3);
    expect(bearer.stderr).not.toContain('tok-wrong-456');
    await clean(repo);
  });

  it('an unreachable server, or one that keeps failing, is exit 3 with nothing written', async () => {
    const { repo, server, env } = await setup();
    server.inject({ match: /get-history/, status: 503, times: 100 });
    const failing = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR], env);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toMatch(/failed after 4 attempts/);
    await clean(repo);
    // The artifact download failing after the snapshot was written: taken back.
    server.inject({ match: /get-history/, status: 200, times: 0 });
    await server.stop();
    const down = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR], { ...env, MODELGATE_MLFLOW_ATTEMPTS: '2' });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/MLflow tracking server/);
    await clean(repo);
  });

  it('a failure after the snapshot was written (the artifact digest) takes the snapshot back', async () => {
    const { repo, server, env } = await setup();
    server.inject({ match: /model\.pkl/, status: 503, times: 100 });
    const existed = existsSync(join(repo.dir, 'runs', 'churn-classifier'));
    const r = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR], env);
    expect(r.code).toBe(3);
    await clean(repo);
    // Nor an empty runs/<model>/ made for it (git status cannot show an empty directory).
    expect(existed).toBe(false);
    expect(existsSync(join(repo.dir, 'runs', 'churn-classifier'))).toBe(false);
  });

  it('an artifact with more files than the cap is an input error (exit 2), as for a directory or an S3 prefix; nothing written', async () => {
    const { repo, env } = await setup();
    const r = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR], { ...env, MODELGATE_MAX_ARTIFACT_FILES: '1' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/mlflow-artifacts:\/.* holds more than 1 files/);
    expect(r.stderr).toMatch(/MODELGATE_MAX_ARTIFACT_FILES/);
    await clean(repo);
  });

  it('never overwrites an earlier snapshot of the same run', async () => {
    const { repo, env } = await setup();
    expect((await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, '--commit', ...ACTOR], env)).code).toBe(0);
    const again = await modelgate(repo.dir, ['register', 'churn-classifier', '--run', `runs:/${CHILD}`, ...ACTOR], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    await clean(repo);
  });
});
