/**
 * run.source end to end through the CLI: a snapshotted version is promoted under a policy with
 * `run: { source: verified }`; the snapshot is compared with the run on the stand-in server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { modelgate } from '../helpers/cli';
import { makeRegistry } from '../helpers/registry';
import { startMlflowServer, type MlflowStandIn } from '../helpers/mlflowServer';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const CHILD = '3c230151bf964df78cdeb657d6ddc136';
const ACTOR = ['--actor', 'alice'];
const POLICY = `apiVersion: modelgate/v1
kind: Policy
name: sgd
models: [sgd-classifier]
rules:
  Staging:
    run: { source: verified }
`;

async function registered(): Promise<{ repo: Repo; server: MlflowStandIn; env: Record<string, string> }> {
  const repo = await makeRegistry({ 'policies/sgd.yaml': POLICY });
  const server = await startMlflowServer({ lifetimeMs: 60_000, auth: { token: 'tok-source-1' } });
  cleanups.push(() => repo.cleanup(), () => server.stop());
  const env = { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: 'tok-source-1', MODELGATE_MLFLOW_BACKOFF_MS: '1', MODELGATE_MLFLOW_ATTEMPTS: '2' };
  const r = await modelgate(repo.dir, ['register', 'sgd-classifier', '--run', `runs:/${CHILD}`, '--commit', ...ACTOR], env);
  expect(r.code, r.stderr).toBe(0);
  return { repo, server, env };
}

describe('run.source', () => {
  it('passes when the server still says what the snapshot says', async () => {
    const { repo, env } = await registered();
    const r = await modelgate(repo.dir, ['promote', 'sgd-classifier', '1', '--to', 'Staging', '--format', 'json', ...ACTOR], env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('run.source');
  });

  it('names each difference when the run changed on the server', async () => {
    const { repo, server, env } = await registered();
    const run = server.runs.get(CHILD)!;
    run.data.metrics.find((m) => m.key === 'val_auc')!.value = 0.81;
    run.data.params.find((p) => p.key === 'alpha')!.value = '0.2';
    run.data.tags.push({ key: 'late', value: 'x' });
    const r = await modelgate(repo.dir, ['promote', 'sgd-classifier', '1', '--to', 'Staging', ...ACTOR], env);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('val_auc is 0.81 on the server, 0.757624 in the snapshot');
    expect(out).toContain("alpha is '0.2' on the server, '0.1' in the snapshot");
    expect(out).toContain('tag late is');
  });

  it('the signature changed on the server is a difference', async () => {
    const { repo, server, env } = await registered();
    const key = '1/models/m-a1032d507ff04e4e8623a178004f7a80/artifacts/MLmodel';
    server.artifacts.set(key, Buffer.from(server.artifacts.get(key)!.toString('utf8').replace('"name": "usage_gb"', '"name": "usage_mb"')));
    const r = await modelgate(repo.dir, ['promote', 'sgd-classifier', '1', '--to', 'Staging', ...ACTOR], env);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/the signature is inputs \(.*usage_mb.*\) on the server/);
  });

  it('a server that cannot be reached, or no MLFLOW_TRACKING_URI (a fork PR without secrets), is exit 3', async () => {
    const { repo, server, env } = await registered();
    const none = await modelgate(repo.dir, ['promote', 'sgd-classifier', '1', '--to', 'Staging', ...ACTOR]);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/MLFLOW_TRACKING_URI is not set/);
    await server.stop();
    const down = await modelgate(repo.dir, ['promote', 'sgd-classifier', '1', '--to', 'Staging', ...ACTOR], env);
    expect(down.code).toBe(3);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
  });

  it('a run that is not a snapshot fails run.source', async () => {
    const { repo, env } = await registered();
    await repo.write('runs/plain.json', JSON.stringify({ run_id: 'plain', status: 'FINISHED' }));
    await repo.commitAll('a plain run record');
    expect((await modelgate(repo.dir, ['register', 'sgd-classifier', '--run', 'runs/plain.json', '--artifact', 'runs/plain.json', '--commit', ...ACTOR], env)).code).toBe(0);
    const r = await modelgate(repo.dir, ['promote', 'sgd-classifier', '2', '--to', 'Staging', ...ACTOR], env);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/has no source: it is not a snapshot/);
  });
});
