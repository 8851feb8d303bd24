/** The MLflow REST client against the stand-in: absent vs refused vs down, paging, retries, auth. */
import { afterEach, describe, expect, it } from 'vitest';
import { connectionFromEnv } from '../../src/mlflow/connection';
import { createMlflowClient, MlflowApiError } from '../../src/mlflow/client';
import { startMlflowServer, type MlflowStandIn, type StandInOptions } from '../helpers/mlflowServer';

const CHILD = '3c230151bf964df78cdeb657d6ddc136';
let server: MlflowStandIn | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function client(opts: StandInOptions = {}, env: Record<string, string> = {}) {
  server = await startMlflowServer({ lifetimeMs: 30_000, ...opts });
  return createMlflowClient(connectionFromEnv({ MLFLOW_TRACKING_URI: server.url, MODELGATE_MLFLOW_BACKOFF_MS: '1', ...env }));
}

describe('MLflow client', () => {
  it('reads a run, its full histories (always with max_results) and the server version', async () => {
    const c = await client();
    const run = await c.getRun(CHILD);
    expect(run?.info.run_id).toBe(CHILD);
    expect(run?.info.status).toBe('FINISHED');
    expect(run?.data.params.find((p) => p.key === 'alpha')?.value).toBe('0.1');
    expect(run?.outputs?.model_outputs?.[0]?.model_id).toBe('m-a1032d507ff04e4e8623a178004f7a80');
    const hist = await c.metricHistory(CHILD, 'batch_loss');
    expect(hist.map((p) => p.step)).toEqual([...Array(30).keys()]);
    expect(await c.serverVersion()).toBe('3.5.2.dev0');
    const historyCalls = server!.requests.filter((r) => r.line.includes('get-history'));
    expect(historyCalls.length).toBeGreaterThan(0);
    for (const r of historyCalls) expect(r.line).toMatch(/max_results=25000/);
  });

  it('follows next_page_token across pages and stops on a token that repeats', async () => {
    const c = await client();
    const point = { key: 'loss', value: 1, timestamp: 1, step: 0 };
    server!.inject({ match: /get-history/, status: 200, times: 1, body: { metrics: [point], next_page_token: 'eyJvZmZzZXQiOiAxfQ==' } });
    server!.inject({ match: /page_token=/, status: 200, times: 1, body: { metrics: [{ ...point, step: 1 }] } });
    expect((await c.metricHistory(CHILD, 'loss')).map((p) => p.step)).toEqual([0, 1]);
    server!.inject({ match: /get-history/, status: 200, times: 10, body: { metrics: [point], next_page_token: 'loop' } });
    await expect(c.metricHistory(CHILD, 'loss')).rejects.toThrow(/did not end/);
  });

  it('treats unknown runs, models, versions, aliases and artifacts as absent, with no retries', async () => {
    const c = await client();
    expect(await c.getRun('0123456789abcdef0123456789abcdef')).toBeUndefined();
    expect(await c.metricHistory('0123456789abcdef0123456789abcdef', 'val_auc')).toEqual([]);
    expect(await c.getModelVersion('churn-classifier', '99')).toBeUndefined();
    expect(await c.getModelVersion('no-such-model', '1')).toBeUndefined();
    expect(await c.getModelVersionByAlias('churn-classifier', 'nope')).toBeUndefined();
    expect(await c.getModelVersionByAlias('no-such-model', 'champion')).toBeUndefined();
    expect(await c.getLoggedModel('m-0000')).toBeUndefined();
    expect(await c.downloadArtifact('mlflow-artifacts:/1/models/m-3d44c675b202439e9d47a1442c483b99/artifacts/no-such-file')).toBeUndefined();
    expect(server!.requests.filter((r) => r.line.includes('no-such-file'))).toHaveLength(1);
    expect((await c.getModelVersionByAlias('churn-classifier', 'champion'))?.version).toBe('1');
  });

  it('retries 5xx, 429 and 408 within the budget, then fails as an environment error (exit 3)', async () => {
    const c = await client();
    server!.inject({ match: /runs\/get/, status: 503, times: 1 });
    server!.inject({ match: /runs\/get/, status: 429, times: 1 });
    server!.inject({ match: /runs\/get/, status: 408, times: 1 });
    expect((await c.getRun(CHILD))?.info.run_id).toBe(CHILD);
    server!.inject({ match: /runs\/get/, status: 502, times: 4 });
    const err = await c.getRun(CHILD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowApiError);
    expect((err as MlflowApiError).exitCode).toBe(3);
    expect(String(err)).toMatch(/after 4 attempts/);
  });

  it('bounds each request in time: a server that never answers is exit 3', async () => {
    const c = await client({}, { MODELGATE_MLFLOW_TIMEOUT_MS: '300', MODELGATE_MLFLOW_ATTEMPTS: '2' });
    server!.inject({ match: /runs\/get/, status: 200, times: 2, hang: true });
    const started = Date.now();
    await expect(c.getRun(CHILD)).rejects.toThrow(/no answer within 0.3 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a server that cannot be reached is exit 3', async () => {
    const c = await client({}, { MODELGATE_MLFLOW_ATTEMPTS: '2' });
    await server!.stop();
    const err = await c.getRun(CHILD).catch((e: unknown) => e);
    expect((err as MlflowApiError).exitCode).toBe(3);
  });

  it('sends basic and bearer credentials; a refusal is exit 3 and never shows them', async () => {
    const ok = await client({ auth: { username: 'ci', password: 's3cret-pw' } }, { MLFLOW_TRACKING_USERNAME: 'ci', MLFLOW_TRACKING_PASSWORD: 's3cret-pw' });
    expect((await ok.getRun(CHILD))?.info.run_id).toBe(CHILD);
    await server!.stop();
    const bad = await client({ auth: { username: 'ci', password: 's3cret-pw' } }, { MLFLOW_TRACKING_USERNAME: 'ci', MLFLOW_TRACKING_PASSWORD: 'wrong-pw' });
    const err = (await bad.getRun(CHILD).catch((e: unknown) => e)) as MlflowApiError;
    expect(err.exitCode).toBe(3);
    expect(err.status).toBe(401);
    expect(err.hint).toMatch(/MLFLOW_TRACKING_USERNAME/);
    expect(`${err.message} ${err.hint}`).not.toMatch(/wrong-pw|s3cret/);
    await server!.stop();
    const bearer = await client({ auth: { token: 'tok-123' } }, { MLFLOW_TRACKING_TOKEN: 'tok-123' });
    expect((await bearer.getRun(CHILD))?.info.run_id).toBe(CHILD);
    expect(server!.requests.every((r) => r.authorization === 'Bearer tok-123')).toBe(true);
  });

  it('takes credentials from the URI but never keeps them in tracking_uri', () => {
    const conn = connectionFromEnv({ MLFLOW_TRACKING_URI: 'https://ci:pw%40x@mlflow.example.com/prefix/?q=1' });
    expect(conn.trackingUri).toBe('https://mlflow.example.com/prefix');
    expect(conn.authorization).toBe(`Basic ${Buffer.from('ci:pw@x').toString('base64')}`);
    expect(() => connectionFromEnv({})).toThrow(/MLFLOW_TRACKING_URI/);
    expect(() => connectionFromEnv({ MLFLOW_TRACKING_URI: 'file:./mlruns' })).toThrow(/not an http/);
  });

  it('reads MLflow 2.x shapes: int64s as strings, numeric versions, non-finite metric values', async () => {
    const c = await client();
    server!.addRun({
      info: { run_id: 'a'.repeat(32), start_time: '1700000000000' as never },
      data: { metrics: [{ key: 'm', value: 'NaN', timestamp: '1700000000001' as never, step: '3' as never }] },
    });
    const run = await c.getRun('a'.repeat(32));
    expect(run?.info.start_time).toBe(1700000000000);
    expect(run?.data.metrics[0]).toEqual({ key: 'm', value: NaN, timestamp: 1700000000001, step: 3 });
    // A 2.x server's integer version.
    server!.inject({ match: /model-versions\/get/, status: 200, body: { model_version: { name: 'churn-classifier', version: 1, run_id: 'a'.repeat(32) } } });
    expect((await c.getModelVersion('churn-classifier', '1'))?.version).toBe('1');
  });
});
