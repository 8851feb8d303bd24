import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '../../src/errors';
import { readPlainRun } from '../helpers/plainRun';
import type { PlainRun, RunStatus } from '../../src/runs/types';
import { DirectorySource, SAMPLES, collect } from './sources';

const V1 = new DirectorySource(join(SAMPLES, 'mlflow/mlruns-mlflow-1.x-legacy'));
const V2 = new DirectorySource(join(SAMPLES, 'mlflow/mlruns-mlflow-2.3.2'));
const V3 = new DirectorySource(join(SAMPLES, 'mlflow/mlruns-mlflow-3.1.1'));

async function failure(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('MLflow 1.x legacy sample', () => {
  it.each([
    ['337531b3ddc34c38a1db55f814c1900d', 'Randomforest', '2021-06-01T14:28:58.980Z'],
    ['c58351333ad74139843ff972cda7b70b', 'linear', '2021-06-01T14:28:58.974Z'],
  ])('run %s never ended: RUNNING, no end time, no tags/ dir, name "" → no name', async (id, model, start) => {
    const run = await readPlainRun(V1, `mlruns/1/${id}`);
    expect(run).toMatchObject({ format: 'mlflow', ref: `mlruns/1/${id}`, runId: id, experiment: '1', status: 'RUNNING', startTime: start });
    expect(run.endTime).toBeUndefined();
    expect(run.name).toBeUndefined();
    expect(run.params).toEqual({ model });
    expect(run.metrics).toEqual({ rmse: 4.5 });
    expect(run.tags).toEqual({});
    expect(run.signature.state).toBe('unavailable');
    expect(run.artifact).toBeUndefined();
    expect(run.deleted).toBeUndefined();
  });

  it('an experiment directory is refused with a pointer to its runs', async () => {
    const err = await failure(readPlainRun(V1, 'mlruns/1'));
    expect(err.message).toMatch(/is an MLflow experiment, not a run/);
    expect(err.hint).toMatch(/mlruns\/1\/<run_id>/);
  });
});

describe('MLflow 2.3.2 sample (tracking server, artifacts in mlartifacts/)', () => {
  const STATUS: Record<number, RunStatus> = { 1: 'RUNNING', 3: 'FINISHED', 4: 'FAILED' };
  const runIds = readdirSync(join(V2.root, 'mlruns/0')).filter((n) => n !== 'meta.yaml');

  it('reads all 38 runs with the status their meta.yaml gives', async () => {
    expect(runIds).toHaveLength(38);
    const statuses = new Map<RunStatus | undefined, number>();
    for (const id of runIds) {
      const run = await readPlainRun(V2, `mlruns/0/${id}`);
      const code = Number(/^status: (\d)$/m.exec(readFileSync(join(V2.root, 'mlruns/0', id, 'meta.yaml'), 'utf8'))![1]);
      expect(run.status).toBe(STATUS[code]);
      expect(run.runId).toBe(id);
      expect(run.name).toBe(readFileSync(join(V2.root, 'mlruns/0', id, 'tags/mlflow.runName'), 'utf8'));
      statuses.set(run.status, (statuses.get(run.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ FINISHED: 29, FAILED: 8, RUNNING: 1 });
  });

  it('sklearn autolog run: params are raw str() text (True, None, 0.0), metrics, tags, model via mlflow-artifacts:', async () => {
    const run = await readPlainRun(V2, 'mlruns/0/4a07d570cf0448a3bfeba60cff20429b');
    expect(run).toMatchObject({
      runId: '4a07d570cf0448a3bfeba60cff20429b',
      name: 'youthful-stoat-141',
      experiment: '0',
      status: 'FINISHED',
      startTime: '2023-05-29T06:37:13.393Z',
      endTime: '2023-05-29T06:37:14.966Z',
    });
    expect(run.params).toMatchObject({ bootstrap: 'True', oob_score: 'False', max_samples: 'None', ccp_alpha: '0.0', max_depth: '6', criterion: 'squared_error' });
    expect(Object.keys(run.params)).toHaveLength(17);
    expect(run.metrics).toEqual({
      training_mean_absolute_error: 29.77018418560262,
      training_mean_squared_error: 1295.9815492877217,
      training_r2_score: 0.7841580218194419,
      training_root_mean_squared_error: 35.99974373919517,
      training_score: 0.7841580218194419,
    });
    expect(run.tags['mlflow.user']).toBe('junchao.yu');
    expect(run.tags['mlflow.autologging']).toBe('sklearn');
    expect(run.artifact).toBe('mlartifacts/0/4a07d570cf0448a3bfeba60cff20429b/artifacts/model');
    expect(run.signature).toEqual({
      state: 'found',
      source: 'mlartifacts/0/4a07d570cf0448a3bfeba60cff20429b/artifacts/model/MLmodel',
      signature: {
        inputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1, 10] }],
        outputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1] }],
        params: null,
      },
    });
  });

  it('the artifact_path of mlflow.log-model.history picks the model among several artifact dirs', async () => {
    const run = await readPlainRun(V2, 'mlruns/0/d0b27e09077744cd8ad21cec5e4f5aab');
    expect(run.artifact).toBe('mlartifacts/0/d0b27e09077744cd8ad21cec5e4f5aab/artifacts/myModel');
    const iris = await readPlainRun(V2, 'mlruns/0/7cdf56842b9446448a605cb4878d78ee');
    expect(iris.artifact).toBe('mlartifacts/0/7cdf56842b9446448a605cb4878d78ee/artifacts/iris_rf');
    expect(iris.signature.state === 'found' && iris.signature.signature.outputs).toEqual([{ kind: 'tensor', dtype: 'int64', shape: [-1] }]);
  });

  it('without the history tag, the single model dir under artifacts/ is the model', async () => {
    const run = await readPlainRun(V2, 'mlruns/0/823752a37b844f01880ec088776a549b');
    expect(run.tags['mlflow.log-model.history']).toBeUndefined();
    expect(run.artifact).toBe('mlartifacts/0/823752a37b844f01880ec088776a549b/artifacts/model');
    expect(run.signature).toMatchObject({ state: 'found', signature: { inputs: [{ kind: 'column', type: 'string', required: true }] } });
  });

  it('artifacts without any MLmodel → signature unavailable, no artifact', async () => {
    const run = await readPlainRun(V2, 'mlruns/0/c3f7d0b307664f56a36ecb5efc9385eb');
    expect(run.artifact).toBeUndefined();
    expect(run.signature.state).toBe('unavailable');
    expect(run.signature.state === 'unavailable' && run.signature.reason).toMatch(/no MLmodel found.*mlartifacts\/0\/c3f7d0b307664f56a36ecb5efc9385eb\/artifacts/);
  });

  it('a run still RUNNING: end_time null → no end time', async () => {
    const run = await readPlainRun(V2, 'mlruns/0/eebbc3f749c44c88b2bb8ed2f55572ea');
    expect(run).toMatchObject({ status: 'RUNNING', name: 'chill-shrew-675', params: { learning_rate: '0.001' }, metrics: { accuracy: 0.9 } });
    expect(run.endTime).toBeUndefined();
  });

  it('a FAILED run and a run without metrics/ or params/', async () => {
    expect(await readPlainRun(V2, 'mlruns/0/a77ff17c95b4495688cf57c38b8991ee')).toMatchObject({ status: 'FAILED', params: { alpha: '0.5', l1_ratio: '0.5' }, metrics: { rmse: 0.7931640229276851 } });
    const bare = await readPlainRun(V2, 'mlruns/0/1ac0790f05c6490287f7faf09c9e3d26');
    expect(bare).toMatchObject({ status: 'FAILED', params: {}, metrics: {} });
  });

  it('the model signature falls back to the history tag when no MLmodel is reachable', async () => {
    // Same run, without the server's artifact store next to mlruns/.
    const dir = await mkdtemp(join(tmpdir(), 'mg-runs-'));
    try {
      const id = '05f5631b485447628f229f6fdb5106b1';
      for (const f of ['meta.yaml', 'tags/mlflow.log-model.history', 'tags/mlflow.runName']) {
        const to = join(dir, 'mlruns/0', id, f);
        await mkdir(dirname(to), { recursive: true });
        await writeFile(to, readFileSync(join(V2.root, 'mlruns/0', id, f)));
      }
      const run = await readPlainRun(new DirectorySource(dir), `mlruns/0/${id}`);
      expect(run.artifact).toBeUndefined();
      expect(run.signature).toEqual({
        state: 'found',
        source: `mlruns/0/${id}/tags/mlflow.log-model.history`,
        signature: { inputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1, 10] }], outputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1] }], params: null },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('MLflow 3.1.1 sample (logged models)', () => {
  const REF = 'mlruns/977702991613526946/548f11038477446eba9ec1cbe8164897';

  it('reads a run without run_uuid, with duplicate metric lines, linked to its logged model through outputs/', async () => {
    const run = await readPlainRun(V3, REF);
    expect(run).toMatchObject({
      format: 'mlflow',
      runId: '548f11038477446eba9ec1cbe8164897',
      name: 'legendary-roo-165',
      experiment: '977702991613526946',
      status: 'FINISHED',
      params: { max_depth: '2', random_state: '42' },
      metrics: { mse: 356.6847104398046 },
      tags: {
        'mlflow.runName': 'legendary-roo-165',
        'mlflow.source.git.commit': 'f9135b6541b9285d578618125fe3f8d6e8e6568e',
        'mlflow.source.name': 'model_registry.py',
        'mlflow.source.type': 'LOCAL',
        'mlflow.user': 'abhay',
      },
      artifact: 'mlruns/977702991613526946/models/m-8295c1ec84394a5cb43029483caa8a4e/artifacts',
    });
    expect(run.signature).toMatchObject({
      state: 'found',
      signature: { inputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1, 4] }], outputs: [{ kind: 'tensor', dtype: 'float64', shape: [-1] }], params: null },
    });
    expect(await collect(run.history('mse'))).toEqual([
      { step: 0, timestamp: 1754666499595, value: 356.6847104398046 },
      { step: 0, timestamp: 1754666499595, value: 356.6847104398046 },
    ]);
    expect(await collect(run.history('nope'))).toEqual([]);
  });

  it('a logged-model directory is refused with a pointer to its source run', async () => {
    const err = await failure(readPlainRun(V3, 'mlruns/977702991613526946/models/m-8295c1ec84394a5cb43029483caa8a4e'));
    expect(err.message).toMatch(/is an MLflow logged model, not a run/);
    expect(err.hint).toMatch(/548f11038477446eba9ec1cbe8164897/);
  });

  it('the manifest artifact: override is used first', async () => {
    const run = await readPlainRun(V3, REF, { artifact: 'mlruns/977702991613526946/models/m-8295c1ec84394a5cb43029483caa8a4e/artifacts' });
    expect(run.signature.state).toBe('found');
    const elsewhere = await readPlainRun(V3, REF, { artifact: 'mlruns/977702991613526946' });
    expect(elsewhere.artifact).toBe('mlruns/977702991613526946');
    expect(elsewhere.signature).toEqual({ state: 'unavailable', reason: 'no MLmodel file in mlruns/977702991613526946' });
    const s3 = await readPlainRun(V3, REF, { artifact: 's3://ml-models/churn/1/' });
    expect(s3.artifact).toBe('s3://ml-models/churn/1/');
    expect(s3.signature.state).toBe('unavailable');
  });
});

describe('derived FileStore cases (samples README §1.5, §1.7)', () => {
  let dir: string;
  let source: DirectorySource;
  const RUN = 'mlruns/1/0123456789abcdef0123456789abcdef';

  const files: Record<string, string> = {
    'meta.yaml': [
      'artifact_uri: file:///somewhere/else/artifacts',
      'end_time: 1700000001000',
      'experiment_id: "1"',
      'lifecycle_stage: deleted',
      'deleted_time: 1700000002000',
      'run_id: 0123456789abcdef0123456789abcdef',
      'run_name: derived',
      'start_time: 1700000000000',
      'status: 5',
      'some_future_key: {a: 1}',
      '',
    ].join('\n'),
    'metrics/auc_by_slice/plan=basic': '1700000000000 0.84 0\n',
    'metrics/auc_by_slice/plan=pro': '1700000000000 0.91 0\n1700000000100 0.93 0\n',
    'metrics/train/loss': '1700000000000 0.25 10\n1700000000500 nan 11\n',
    'metrics/val_auc': '1700000000000 0.81 0 eval_ds 9f2c\n1600000000000 0.86 2 eval_ds 9f2c\n1700000000000 -inf 1 eval_ds 9f2c\n',
    'metrics/old': '1600000000000 0.5\n1600000000001 0.4\n',
    'metrics/dup': '5 0.5 1\n5 0.7 1\n5 0.6 1\n',
    'params/optimizer/lr': '0.001',
    'params/note': 'two\nlines\n',
    'params/empty': '',
    'params/__proto__': 'kept as data',
    'tags/team/owner': 'ml-platform',
    'tags/mlflow.log-model.history': '[{"artifact_path": "model", "signature": {"inputs": "[{\\"type\\": \\"double\\"", "outputs": null}}]',
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mg-runs-'));
    source = new DirectorySource(dir);
    for (const [f, text] of Object.entries(files)) {
      const to = join(dir, RUN, f);
      await mkdir(dirname(to), { recursive: true });
      await writeFile(to, text);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let run: PlainRun;
  it('reads nested keys, nan/inf, 5-field and 2-field lines, duplicates', async () => {
    run = await readPlainRun(source, RUN);
    expect(run.metrics['auc_by_slice/plan=basic']).toBe(0.84);
    expect(run.metrics['auc_by_slice/plan=pro']).toBe(0.93);
    expect(run.metrics['train/loss']).toBeNaN();
    expect(run.metrics.val_auc).toBe(0.86); // step 2 (field 3) beats later timestamps
    expect(run.metrics.old).toBe(0.4);
    expect(run.metrics.dup).toBe(0.7);
    expect(Object.keys(run.metrics).sort()).toEqual(['auc_by_slice/plan=basic', 'auc_by_slice/plan=pro', 'dup', 'old', 'train/loss', 'val_auc']);
  });

  it('params and tags are raw text (not trimmed), nested keys joined with /', () => {
    expect(run.params['optimizer/lr']).toBe('0.001');
    expect(run.params.note).toBe('two\nlines\n');
    expect(run.params.empty).toBe('');
    expect(Object.getOwnPropertyDescriptor(run.params, '__proto__')?.value).toBe('kept as data');
    expect(Object.getPrototypeOf(run.params)).toBe(Object.prototype);
    expect(run.tags['team/owner']).toBe('ml-platform');
  });

  it('status 5 → KILLED; unknown keys ignored; a deleted run reads but is marked deleted', () => {
    expect(run).toMatchObject({ status: 'KILLED', name: 'derived', deleted: true, startTime: '2023-11-14T22:13:20.000Z', endTime: '2023-11-14T22:13:21.000Z' });
  });

  it('an unparsable signature in the history tag → invalid, not a throw', () => {
    expect(run.signature).toMatchObject({ state: 'invalid', source: `${RUN}/tags/mlflow.log-model.history`, error: expect.stringMatching(/inputs: is not valid JSON/) });
  });

  it('history streams the points of a nested key in file order', async () => {
    const points = await collect(run.history('train/loss'));
    expect(points.map((p) => p.step)).toEqual([10, 11]);
    expect(points[1]!.value).toBeNaN();
  });

  it('a garbage metric line → InputError naming the file and line', async () => {
    await writeFile(join(dir, RUN, 'metrics/broken'), '1700000000000 0.5 0\n1700000000001 0,6 1\n');
    try {
      const err = await failure(readPlainRun(source, RUN));
      expect(err.location).toMatchObject({ file: `${RUN}/metrics/broken`, line: 2 });
      expect(err.message).toMatch(/value that is not a number/);
    } finally {
      await rm(join(dir, RUN, 'metrics/broken'));
    }
  });

  it('a status that is not an MLflow status → InputError at its line', async () => {
    const other = 'mlruns/1/badstatus';
    await mkdir(join(dir, other), { recursive: true });
    await writeFile(join(dir, other, 'meta.yaml'), 'run_id: badstatus\nstatus: 9\n');
    const err = await failure(readPlainRun(source, other));
    expect(err.location).toMatchObject({ file: `${other}/meta.yaml`, line: 2 });
  });

  it('nothing at the path → NotFoundError', async () => {
    const err = await failure(readPlainRun(source, 'mlruns/1/missing'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe('run mlruns/1/missing not found: no meta.yaml, W&B files/ or .json record at that path');
  });
});
