import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { readPlainRun } from '../helpers/plainRun';
import { parseSummary, summaryMetrics } from '../../src/runs/wandb/summary';
import { utcTime } from '../../src/runs/wandb/metadata';
import { DirectorySource, MemorySource, SAMPLES, collect } from './sources';

const WANDB = new DirectorySource(join(SAMPLES, 'wandb'));

describe('W&B samples', () => {
  it('covers every sample directory', () => {
    expect(readdirSync(WANDB.root).sort()).toEqual([
      'wandb-0.10.20-legacy-offline',
      'wandb-0.16.1-legacy-dict-string-config',
      'wandb-0.16.1-legacy-media-summary',
      'wandb-0.21.0-core-colab-transformers',
      'wandb-0.22.3-core-nested-config',
      'wandb-0.22.3-core-offline',
    ]);
  });

  it('0.10.20 legacy offline run: only _wandb in config, empty summary, git from metadata', async () => {
    const run = await readPlainRun(WANDB, 'wandb-0.10.20-legacy-offline/offline-run-20210216_154407-g9dvvkua');
    expect(run).toMatchObject({ format: 'wandb', runId: 'g9dvvkua', params: {}, metrics: {}, startTime: '2021-02-16T23:44:07.003Z' });
    expect(run.status).toBeUndefined();
    expect(run.tags).toEqual({
      git_commit: '86db7dc9144c87a4b41cad77a0dae2e55288b587',
      git_remote: 'git@github.com:wandb/client.git',
      'wandb.program': 'code-toad.py',
      'wandb.codePath': 'standalone_tests/code-toad.py',
      'wandb.host': 'cvp',
      'wandb.os': 'Darwin-20.2.0-x86_64-i386-64bit',
      'wandb.python': '3.7.5',
      'wandb.username': 'vanpelt',
      'wandb.executable': '/Users/vanpelt/.pyenv/versions/wandb-3.7/bin/python',
    });
    expect(run.signature.state).toBe('unavailable');
    expect(await collect(run.history('anything'))).toEqual([]);
  });

  it('0.16.1 legacy: a stringified Python dict stays one string; zone-less startedAt is UTC', async () => {
    const run = await readPlainRun(WANDB, 'wandb-0.16.1-legacy-dict-string-config/run-20240112_113750-y390ybbu');
    expect(run.runId).toBe('y390ybbu');
    expect(run.params).toEqual({
      config:
        "{'hyperparameters': {'lr': 0.001, 'batch_size': 16, 'epochs': 5, 'hidden1': 512, 'hidden2': 256, 'num_workers': 3}, 'data_path': 'data/processed', 'criterion': 'MSELoss', 'optimizer': 'Adam'}",
    });
    expect(run.metrics).toEqual({ train_loss: 64.65841674804688, epoch: 4, 'trainer/global_step': 9049 });
    expect(run.startTime).toBe('2024-01-12T10:37:50.782Z');
    expect(run.tags.git_commit).toBe('cf699e8974e511c57069d7f152fd78bfd4f0647e');
    expect(Object.values(run.tags)).not.toContain('redacted@example.com');
  });

  it('0.16.1 legacy: a media object in the summary is not a metric', async () => {
    const run = await readPlainRun(WANDB, 'wandb-0.16.1-legacy-media-summary/run-20240103_100714-axhniwp6');
    expect(run.runId).toBe('axhniwp6');
    expect(run.params).toEqual({ example_metric: 'Example Value!' });
    expect(run.metrics).toEqual({});
    expect(run.tags.git_remote).toBe('https://github.com/mozilla/docker-etl.git');
  });

  it('0.21.0 core: value-only 4-space config, slash keys, exponent _timestamp skipped, no git', async () => {
    const run = await readPlainRun(WANDB, 'wandb-0.21.0-core-colab-transformers/run-20250802_060401-ligyd8o4');
    expect(run.runId).toBe('ligyd8o4');
    expect(run.params).toMatchObject({
      _name_or_path: 'albert-base-v2',
      adam_epsilon: '1e-8',
      learning_rate: '0.00005',
      'model/num_parameters': '11685891',
      'id2label.0': 'LABEL_0',
      'label2id.LABEL_2': '2',
      'accelerator_config.even_batches': 'true',
      'accelerator_config.dispatch_batches': 'null',
      architectures: '["AlbertForMaskedLM"]',
      debug: '[]',
      task_specific_params: 'null',
      mp_parameters: '',
    });
    expect(Object.keys(run.params).some((k) => k.startsWith('_wandb'))).toBe(false);
    expect(run.metrics).toEqual({
      'test/f1': 0.8608257052120306,
      total_flos: 5.042997931008e12,
      train_runtime: 19.2492,
      train_samples_per_second: 10.962,
      'test/samples_per_second': 31.759,
      train_steps_per_second: 0.727,
      train_loss: 0.44046149935041157,
      'test/steps_per_second': 2.397,
      'test/recall': 0.9056603773584906,
      'test/loss': 0.35339057445526123,
      'train/epoch': 1,
      'test/accuracy': 0.9056603773584906,
      'train/global_step': 14,
      'test/runtime': 1.6688,
      'test/precision': 0.8202207191171236,
    });
    expect(run.tags.git_commit).toBeUndefined();
    expect(run.tags).toMatchObject({ 'wandb.program': 'Copy%20of%20uruti_model_refined.ipynb', 'wandb.python': 'CPython 3.11.13', 'wandb.cudaVersion': '12.4' });
    expect(run.startTime).toBe('2025-08-02T06:04:01.615Z');
  });

  it('0.22.3 core: nested config flattened with dots, git from metadata', async () => {
    const run = await readPlainRun(WANDB, 'wandb-0.22.3-core-nested-config/run-20251104_083622-b8n37x6d');
    expect(run.runId).toBe('b8n37x6d');
    expect(run.params).toMatchObject({
      'model.params.learning_rate': '0.05',
      'model.params.max_depth': '-1',
      'model.name': 'lightgbm',
      'data.features.use_bus': 'true',
      'data.split.val_size': '0.2',
      'train.metrics': '["mae","rmse","r2"]',
      'wandb.entity': 'null',
      'wandb.run.group': 'null',
      seed: '42',
      device: 'cpu',
    });
    expect(run.params.model).toBeUndefined();
    expect(run.metrics).toEqual({
      'train/mae': 5578.966987657498,
      'train/rmse': 9109.418819430946,
      'valid/rmse': 9540.952177286363,
      'valid/r2': 0.9581675267484078,
      'train/r2': 0.9614075829591927,
      'valid/mae': 5633.947058449217,
    });
    expect(run.tags).toMatchObject({
      git_commit: 'ec923717cfad024a82129adcb0692256cc78e8a7',
      git_remote: 'https://github.com/TeethChatterDev/first-ml-project-refactor.git',
      'wandb.program': '-m src.train',
    });
    expect(run.startTime).toBe('2025-11-04T08:36:22.104Z');
  });

  it('0.22.3 core offline run never synced → InputError telling to run wandb sync', async () => {
    const ref = 'wandb-0.22.3-core-offline/offline-run-20251104_081111-6v58hf0r';
    const err = await readPlainRun(WANDB, ref).then(
      () => undefined,
      (e: unknown) => e as InputError,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/offline run that was never synced/);
    expect(err!.hint).toBe(`run \`wandb sync ${ref}\` and commit the files it writes under files/`);
  });
});

describe('W&B derived cases', () => {
  it('summary with bare NaN / Infinity / -Infinity, nested define_metric summaries, strings and booleans', () => {
    const text =
      '{"loss": NaN, "best": Infinity, "worst": -Infinity, "acc": {"min": 0.1, "max": 0.9, "last": 0.8}, ' +
      '"note": "NaN Infinity \\" NaN", "flag": true, "img": {"_type": "image-file", "path": "x.png"}, "_step": 3, "list": [1, 2]}';
    const metrics = summaryMetrics(parseSummary(text, 'files/wandb-summary.json'));
    expect(metrics.loss).toBeNaN();
    expect(metrics.best).toBe(Infinity);
    expect(metrics.worst).toBe(-Infinity);
    expect(metrics).toMatchObject({ 'acc.min': 0.1, 'acc.max': 0.9, 'acc.last': 0.8 });
    expect(Object.keys(metrics).sort()).toEqual(['acc.last', 'acc.max', 'acc.min', 'best', 'loss', 'worst']);
  });

  it('a broken summary is an InputError with its position', () => {
    expect(() => parseSummary('{"a": 1,\n "b": }', 'files/wandb-summary.json')).toThrow(InputError);
  });

  it('legacy config with desc, a mapping without value, and run id from the run-<id>.wandb file (latest-run copy)', async () => {
    const source = new MemorySource({
      'wandb/latest-run/run-abc-123.wandb': 'binary',
      'wandb/latest-run/files/config.yaml': 'wandb_version: 1\n\nlr:\n  desc: null\n  value: 0.001\nraw:\n  a: 1\n  b: [x]\n',
    });
    const run = await readPlainRun(source, 'wandb/latest-run');
    expect(run.runId).toBe('abc-123');
    expect(run.params).toEqual({ lr: '0.001', 'raw.a': '1', 'raw.b': '["x"]' });
    expect(run.metrics).toEqual({});
    expect(run.tags).toEqual({});
  });

  it('a run directory with only the binary log and no files/ → the wandb sync error', async () => {
    const source = new MemorySource({ 'wandb/offline-run-20250101_000000-zz/run-zz.wandb': 'binary' });
    await expect(readPlainRun(source, 'wandb/offline-run-20250101_000000-zz')).rejects.toThrow(/never synced/);
  });

  it('an artifact: override pointing at an MLflow model gives the W&B run a signature', async () => {
    const source = new MemorySource({
      'wandb/run-20250101_000000-ab/files/wandb-summary.json': '{"acc": 0.9}',
      'models/churn/MLmodel': 'signature:\n  inputs: \'[{"type": "double", "name": "x"}]\'\n  outputs: null\n',
    });
    const run = await readPlainRun(source, 'wandb/run-20250101_000000-ab', { artifact: 'models/churn' });
    expect(run.artifact).toBe('models/churn');
    expect(run.signature).toMatchObject({ state: 'found', signature: { inputs: [{ kind: 'column', name: 'x', type: 'double', required: true }] } });
  });

  it.each([
    ['2024-01-12T10:37:50.782622', '2024-01-12T10:37:50.782Z'],
    ['2025-11-04T08:36:22.104955Z', '2025-11-04T08:36:22.104Z'],
    ['2025-11-04T10:36:22+02:00', '2025-11-04T08:36:22.000Z'],
    ['yesterday', undefined],
  ])('startedAt %s → %s', (input, expected) => {
    expect(utcTime(input)).toBe(expected);
  });
});
