import { describe, expect, it } from 'vitest';
import { InputError, InputErrors, NotFoundError } from '../../src/errors';
import { readPlainRun } from '../helpers/plainRun';
import { MemorySource, collect } from './sources';

/** The example record of SPEC §3. */
const SPEC_EXAMPLE = `{"run_id": "7c9e6679",                      "experiment": "churn",
 "status": "FINISHED",                      "start_time": "2026-11-20T10:00:00Z",
 "end_time": "2026-11-20T10:14:03Z",
 "params":  {"random_state": "42", "learning_rate": "0.03"},
 "metrics": {"val_auc": 0.8862, "auc_by_slice/plan=basic": 0.84},
 "metric_history": {"val_loss": [{"step": 0, "value": 0.71, "timestamp": 1731000000000}]},
 "tags":    {"data_version": "2024-03-15", "mlflow.source.git.commit": "3f7c2e8d..."},
 "signature": {"inputs": [{"type": "double", "name": "monthly_hours_watched", "required": true}],
               "outputs": [{"type": "long"}]},
 "artifact": "s3://ml-models/churn/7c9e6679/"}`;

const read = (text: string, opts = {}) => readPlainRun(new MemorySource({ 'runs/7c9e.json': text }), 'runs/7c9e.json', opts);

async function failure(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof InputErrors) return err.errors[0]!;
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('portable run records', () => {
  it('reads the SPEC example', async () => {
    const run = await read(SPEC_EXAMPLE);
    expect(run).toMatchObject({
      format: 'json',
      ref: 'runs/7c9e.json',
      runId: '7c9e6679',
      experiment: 'churn',
      status: 'FINISHED',
      startTime: '2026-11-20T10:00:00.000Z',
      endTime: '2026-11-20T10:14:03.000Z',
      params: { random_state: '42', learning_rate: '0.03' },
      metrics: { val_auc: 0.8862, 'auc_by_slice/plan=basic': 0.84, val_loss: 0.71 },
      tags: { data_version: '2024-03-15', 'mlflow.source.git.commit': '3f7c2e8d...' },
      artifact: 's3://ml-models/churn/7c9e6679/',
    });
    expect(run.signature).toEqual({
      state: 'found',
      source: 'runs/7c9e.json (signature)',
      signature: {
        inputs: [{ kind: 'column', name: 'monthly_hours_watched', type: 'double', required: true }],
        outputs: [{ kind: 'column', type: 'long', required: true }],
        params: null,
      },
    });
    expect(await collect(run.history('val_loss'))).toEqual([{ step: 0, value: 0.71, timestamp: 1731000000000 }]);
  });

  it('only run_id is required; no signature → absent', async () => {
    const run = await read('{"run_id": "x"}');
    expect(run).toMatchObject({ runId: 'x', params: {}, metrics: {}, tags: {}, signature: { state: 'absent', source: 'runs/7c9e.json' } });
    expect(run.status).toBeUndefined();
    expect(run.artifact).toBeUndefined();
  });

  it('numbers and booleans in params and tags are kept as their JSON text', async () => {
    const run = await read('{"run_id": "x", "params": {"lr": 0.001, "big": 1e21, "flag": true, "s": "True"}, "tags": {"n": 3}}');
    expect(run.params).toEqual({ lr: '0.001', big: '1e+21', flag: 'true', s: 'True' });
    expect(run.tags).toEqual({ n: '3' });
  });

  it('metric values "NaN", "Infinity", "-Infinity"; latest from history with the MLflow rule', async () => {
    const run = await read(
      JSON.stringify({
        run_id: 'x',
        metrics: { a: 'NaN', b: 'Infinity', c: '-Infinity' },
        metric_history: {
          loss: [
            { step: 2, value: 0.3, timestamp: 10 },
            { step: 5, value: 'NaN', timestamp: 1 },
            { step: 5, value: 0.9, timestamp: 1 },
          ],
          acc: [
            { step: 1, value: 0.5, timestamp: 10 },
            { step: 1, value: 0.6, timestamp: 20 },
          ],
          b: [{ step: 9, value: 1, timestamp: 9 }],
        },
      }),
    );
    expect(run.metrics.a).toBeNaN();
    expect(run.metrics.b).toBe(Infinity); // `metrics` wins over the history of the same key
    expect(run.metrics.c).toBe(-Infinity);
    expect(run.metrics.loss).toBeNaN(); // tie on (step, timestamp): NaN counts as the greatest value
    expect(run.metrics.acc).toBe(0.6);
    expect((await collect(run.history('loss'))).map((p) => p.step)).toEqual([2, 5, 5]);
  });

  it('a repo-path artifact is normalized; its MLmodel gives the signature when the record has none', async () => {
    const source = new MemorySource({
      'runs/r.json': '{"run_id": "r", "artifact": "./models/churn/"}',
      'models/churn/MLmodel': 'signature:\n  inputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]\'\n',
    });
    const run = await readPlainRun(source, 'runs/r.json');
    expect(run.artifact).toBe('models/churn');
    expect(run.signature).toMatchObject({ state: 'found', source: 'models/churn/MLmodel' });
  });

  it('a malformed signature → invalid, the rest of the run still reads', async () => {
    const run = await read('{"run_id": "x", "metrics": {"m": 1}, "signature": {"inputs": [{"name": "a"}]}}');
    expect(run.metrics).toEqual({ m: 1 });
    expect(run.signature).toMatchObject({ state: 'invalid', error: expect.stringMatching(/inputs\[0\]\.type: is missing/) });
  });

  it('invalid JSON → InputError with line and column', async () => {
    const err = await failure(read('{"run_id": "x",\n  "metrics": {"a": 1,}\n}'));
    expect(err.location).toMatchObject({ file: 'runs/7c9e.json', line: 2 });
    expect(err.location?.column).toBeGreaterThan(1);
  });

  it('schema violations → InputError with line, column and JSON path, and a did-you-mean', async () => {
    const err = await failure(read('{"run_id": "x",\n "metric": {"a": 1}}'));
    expect(err.message).toMatch(/unknown key 'metric'/);
    expect(err.hint).toBe("did you mean 'metrics'?");
    expect(err.location).toMatchObject({ line: 2, column: 2, jsonPath: '/metric' });

    const bad = await failure(read('{"run_id": "x",\n "metrics": {\n   "a": "high"}}'));
    expect(bad.location).toMatchObject({ line: 3, jsonPath: '/metrics/a' });

    const status = await failure(read('{"run_id": "x", "status": "finished"}'));
    expect(status.hint).toMatch(/FINISHED/);

    const missing = await failure(read('{"experiment": "x"}'));
    expect(missing.message).toMatch(/missing required key 'run_id'/);

    const time = await failure(read('{"run_id": "x", "start_time": "2026-11-20 10:00"}'));
    expect(time.location?.jsonPath).toBe('/start_time');
  });

  it('an artifact that leaves the repository → InputError at the artifact line', async () => {
    const err = await failure(read('{"run_id": "x",\n "artifact": "../secrets"}'));
    expect(err.message).toMatch(/'\.\.'/);
    expect(err.location).toMatchObject({ line: 2, jsonPath: '/artifact' });
  });

  it('a missing .json record → NotFoundError', async () => {
    await expect(readPlainRun(new MemorySource({ 'x.txt': '' }), 'runs/none.json')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('an S3 prefix that is itself a JSON object (ref "") reads as a portable record', async () => {
    const source = new MemorySource({ '': '{"run_id": "root"}' });
    expect((await readPlainRun(source, '')).runId).toBe('root');
  });
});
