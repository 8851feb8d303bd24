/** S3FileSource against a real S3-compatible server (s3rver on 127.0.0.1): no SDK mocks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Socket } from 'node:net';
import { readPlainRun } from '../helpers/plainRun';
import { WorktreeState } from '../../src/repo/worktree';
import { EnvironmentError, InputError, NotFoundError } from '../../src/errors';
import { createS3Client, MAX_METADATA_BYTES, S3FileSource } from '../../src/storage/s3';
import { closedPort, startS3, type S3TestServer } from '../helpers/s3';

const RUN = 's3://mlflow/0/3f2a9c1e';
/** A real MLflow 2.3.2 FileStore run (shared/samples). */
const SAMPLE_ROOT = '/work/shared/samples/mlflow/mlruns-mlflow-2.3.2';
const SAMPLE_RUN = 'mlruns/0/7b6ab766a75240cda1b7c7324208026a';

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((name) => {
    const path = rel === '' ? name : `${rel}/${name}`;
    return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : [path];
  });
}
const META = 'artifact_uri: s3://mlflow/0/3f2a9c1e/artifacts\nrun_id: 3f2a9c1e\nstatus: 3\n';

let s3: S3TestServer;

beforeAll(async () => {
  s3 = await startS3({ buckets: ['mlflow'], deny: ['mlflow/locked/'] });
  const files: Record<string, string> = {
    'meta.yaml': META,
    'params/learning_rate': '0.03',
    'params/random_seed': '42',
    'metrics/val_auc': '1731000000000 0.8862 0\n',
    'metrics/auc_by_slice/plan=basic': '1731000000000 0.84 0\n',
    'metrics/auc_by_slice/plan=pro': '1731000000000 0.87 0\n',
    'tags/mlflow.user': 'alice',
    'artifacts/model/MLmodel': 'flavors: {}\n',
  };
  for (const [k, v] of Object.entries(files)) await s3.put('mlflow', `0/3f2a9c1e/${k}`, v);
  await s3.put('mlflow', '0/3f2a9c1e-other/meta.yaml', 'run_id: other\n'); // a sibling sharing the key prefix
  await s3.put('mlflow', 'locked/run/meta.yaml', 'run_id: x\n');
  for (const f of filesUnder(join(SAMPLE_ROOT, SAMPLE_RUN))) {
    await s3.put('mlflow', `sample/${f}`, readFileSync(join(SAMPLE_ROOT, SAMPLE_RUN, f)));
  }
});
afterAll(async () => {
  await s3?.stop();
});

const source = (uri = RUN, env: Record<string, string> = s3.env) => new S3FileSource(createS3Client(env), uri);

describe('an MLflow run directory stored in S3', () => {
  it('lists entries by name, directories from nested keys, sorted', async () => {
    const run = source();
    expect(await run.list('')).toEqual(['artifacts', 'meta.yaml', 'metrics', 'params', 'tags']);
    expect(await run.list('metrics')).toEqual(['auc_by_slice', 'val_auc']);
    expect(await run.list('metrics/auc_by_slice')).toEqual(['plan=basic', 'plan=pro']);
    expect(await run.list('nope')).toBeUndefined();
  });

  it('stats files and prefix "directories", and reports missing paths as undefined', async () => {
    const run = source();
    expect(await run.stat('')).toEqual({ type: 'dir', size: 0 });
    expect(await run.stat('meta.yaml')).toEqual({ type: 'file', size: Buffer.byteLength(META) });
    expect(await run.stat('metrics/auc_by_slice')).toEqual({ type: 'dir', size: 0 });
    expect(await run.stat('params/missing')).toBeUndefined();
    expect(await run.stat('metric')).toBeUndefined(); // a key prefix that is not a path segment
  });

  it('reads files as bytes and as streams, with s3:// names for messages', async () => {
    const run = source(`${RUN}/`);
    expect(Buffer.from((await run.readBytes('params/learning_rate'))!).toString()).toBe('0.03');
    expect(await run.readBytes('params/missing')).toBeUndefined();
    const chunks: Uint8Array[] = [];
    for await (const c of await run.openStream('metrics/auc_by_slice/plan=pro')) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('1731000000000 0.87 0\n');
    await expect(run.openStream('metrics/missing')).rejects.toBeInstanceOf(NotFoundError);
    expect(run.describe('params/random_seed')).toBe('s3://mlflow/0/3f2a9c1e/params/random_seed');
  });

  it('reads a run record named by its object URI', async () => {
    await s3.put('mlflow', 'records/7c9e.json', '{"run_id":"7c9e"}');
    const rec = source('s3://mlflow/records/7c9e.json');
    expect(await rec.stat('')).toEqual({ type: 'file', size: 17 });
    expect(Buffer.from((await rec.readBytes(''))!).toString()).toBe('{"run_id":"7c9e"}');
  });

  it('is read by the same run reader as a local directory, with the same result', async () => {
    const fromS3 = await readPlainRun(source('s3://mlflow/sample'), '');
    const local = await readPlainRun(new WorktreeState(SAMPLE_ROOT), SAMPLE_RUN);
    expect(fromS3.format).toBe('mlflow');
    expect(Object.keys(fromS3.params).length).toBeGreaterThan(10);
    expect(Object.keys(fromS3.metrics)).toContain('training_score');
    for (const k of ['runId', 'status', 'startTime', 'endTime', 'params', 'metrics', 'tags'] as const) {
      expect(fromS3[k], k).toEqual(local[k]);
    }
    const points: number[] = [];
    for await (const p of fromS3.history('training_score')) points.push(p.value);
    expect(points.at(-1)).toBe(local.metrics.training_score);
  });

  it('refuses paths that leave the prefix and metadata reads over 8 MiB', async () => {
    const run = source();
    await expect(run.stat('../3f2a9c1e-other/meta.yaml')).rejects.toBeInstanceOf(InputError);
    await s3.put('mlflow', '0/3f2a9c1e/params/huge', new Uint8Array(MAX_METADATA_BYTES + 1));
    await expect(run.readBytes('params/huge')).rejects.toThrow(/s3:\/\/mlflow\/0\/3f2a9c1e\/params\/huge is larger than 8 MiB/);
  });
});

describe('faults end with exit 3, naming the object and what to check', () => {
  it('a missing bucket', async () => {
    const err = await source('s3://no-such-bucket/run').stat('meta.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toMatch(/s3:\/\/no-such-bucket\/run.*NoSuchBucket/);
    expect((err as EnvironmentError).hint).toMatch(/bucket 'no-such-bucket' does not exist/);
  });

  it('access denied by the store (403 AccessDenied)', async () => {
    const run = source('s3://mlflow/locked/run');
    const err = await run.readBytes('meta.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toBe('cannot read s3://mlflow/locked/run/meta.yaml: AccessDenied (HTTP 403): Access Denied');
    expect((err as EnvironmentError).hint).toMatch(/s3:GetObject on the objects and s3:ListBucket on bucket 'mlflow'/);
    // HeadObject's 403 has no body: still exit 3, never "missing".
    await expect(run.stat('meta.yaml')).rejects.toBeInstanceOf(EnvironmentError);
    await expect(run.list('')).rejects.toBeInstanceOf(EnvironmentError);
  });

  it('credentials the store does not know (InvalidAccessKeyId)', async () => {
    const run = source(RUN, { ...s3.env, AWS_ACCESS_KEY_ID: 'AKIAWRONG' });
    const err = await run.readBytes('meta.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toMatch(/s3:\/\/mlflow\/0\/3f2a9c1e\/meta.yaml: InvalidAccessKeyId \(HTTP 403\)/);
    expect((err as EnvironmentError).hint).toMatch(/AWS_ACCESS_KEY_ID/);
  });

  it('an endpoint that is down, within seconds', async () => {
    const port = await closedPort();
    const started = Date.now();
    const run = source(RUN, { ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, MODELGATE_S3_TIMEOUT_MS: '2000' });
    const err = await run.stat('meta.yaml').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(3);
    expect((err as EnvironmentError).message).toMatch(/s3:\/\/mlflow\/0\/3f2a9c1e\/meta.yaml: ECONNREFUSED \(after 4 attempts\)/);
    expect((err as EnvironmentError).hint).toMatch(/AWS_ENDPOINT_URL_S3/);
  });

  it('an endpoint that accepts connections and never answers, within seconds', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s)); // reads nothing, answers nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as { port: number };
      const started = Date.now();
      const run = source(RUN, { ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, MODELGATE_S3_TIMEOUT_MS: '300' });
      const err = await run.readBytes('meta.yaml').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(err).toBeInstanceOf(EnvironmentError);
      expect((err as EnvironmentError).exitCode).toBe(3);
      expect((err as EnvironmentError).message).toMatch(/s3:\/\/mlflow\/0\/3f2a9c1e\/meta.yaml: ETIMEDOUT \(after 4 attempts\)/);
      expect(sockets.length).toBeGreaterThan(1); // retried before giving up
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
