import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '../../src/errors';
import { readPlainRun } from '../helpers/plainRun';
import { DirectorySource, MemorySource, SAMPLES } from './sources';

describe('readRun format detection', () => {
  it('an MLflow run at the source root (an S3 prefix, ref "")', async () => {
    const source = new MemorySource({
      'meta.yaml': 'run_id: abc\nstatus: 3\nartifact_uri: mlflow-artifacts:/0/abc/artifacts\n',
      'metrics/acc': '1 0.5 0\n',
      'artifacts/model/MLmodel': "signature:\n  inputs: '[{\"type\": \"long\"}]'\n",
    });
    const run = await readPlainRun(source, '');
    expect(run).toMatchObject({ format: 'mlflow', ref: '', runId: 'abc', status: 'FINISHED', metrics: { acc: 0.5 }, artifact: 'artifacts/model' });
  });

  it('an MLflow run at the root without run_id → InputError (no directory name to fall back on)', async () => {
    await expect(readPlainRun(new MemorySource({ 'meta.yaml': 'status: 3\n' }), '')).rejects.toThrow(/no run_id or run_uuid/);
  });

  it('a W&B run at the source root', async () => {
    const run = await readPlainRun(new MemorySource({ 'files/wandb-summary.json': '{"acc": 0.5}', 'run-q1w2e3.wandb': 'x' }), '');
    expect(run).toMatchObject({ format: 'wandb', runId: 'q1w2e3', metrics: { acc: 0.5 } });
  });

  it('an empty source root → NotFoundError', async () => {
    const err = await readPlainRun(new MemorySource({}), '').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
  });

  it('a directory that exists but holds no run → NotFoundError with a hint', async () => {
    const err = (await readPlainRun(new DirectorySource(SAMPLES), 'mlflow').catch((e: unknown) => e)) as InputError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.hint).toMatch(/mlruns\/<experiment>\/<run_id>/);
  });

  it('reads the same sample run identically with 7-byte stream chunks', async () => {
    const root = join(SAMPLES, 'mlflow/mlruns-mlflow-2.3.2');
    const ref = 'mlruns/0/4a07d570cf0448a3bfeba60cff20429b';
    const a = await readPlainRun(new DirectorySource(root), ref);
    const b = await readPlainRun(new DirectorySource(root, 7), ref);
    expect(b.metrics).toEqual(a.metrics);
    expect(Object.keys(b.metrics)).toHaveLength(5);
  });
});
