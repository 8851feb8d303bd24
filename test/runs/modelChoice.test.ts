/**
 * Which model of an MLflow run is judged: artifacts/model when it exists, else the
 * log-model.history entry with a signature, else the last; of several MLflow 3 logged models,
 * the one with a signature (mlflow.evaluate logs a SHAP explainer, without one, after the model).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlainRun } from '../helpers/plainRun';
import { DirectorySource } from './sources';

const RUN = 'mlruns/1/0123456789abcdef0123456789abcdef';
const META = 'artifact_uri: file:///x/artifacts\nexperiment_id: "1"\nlifecycle_stage: active\nrun_id: 0123456789abcdef0123456789abcdef\nstart_time: 1700000000000\nstatus: 3\n';
const SIGNED = `signature:\n  inputs: '[{"type": "double", "name": "x", "required": true}]'\n  outputs: null\n`;
const UNSIGNED = 'flavors: {}\n';
const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true });
});

async function source(files: Record<string, string>): Promise<DirectorySource> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-choice-'));
  dirs.push(dir);
  for (const [f, text] of Object.entries({ [`${RUN}/meta.yaml`]: META, ...files })) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await writeFile(join(dir, f), text);
  }
  return new DirectorySource(dir);
}

const history = (entries: { artifact_path: string; signature?: unknown }[]) => JSON.stringify(entries);

describe('model choice in a run', () => {
  it('the history entry with a signature wins over an explainer logged after it', async () => {
    const s = await source({
      [`${RUN}/tags/mlflow.log-model.history`]: history([{ artifact_path: 'clf', signature: { inputs: '[{"type": "double", "name": "x", "required": true}]', outputs: null } }, { artifact_path: 'explainer' }]),
      [`${RUN}/artifacts/clf/MLmodel`]: SIGNED,
      [`${RUN}/artifacts/explainer/MLmodel`]: UNSIGNED,
    });
    const run = await readPlainRun(s, RUN);
    expect(run.artifact).toBe(`${RUN}/artifacts/clf`);
    expect(run.signature.state).toBe('found');
  });

  it('artifacts/model wins when it exists', async () => {
    const s = await source({
      [`${RUN}/tags/mlflow.log-model.history`]: history([{ artifact_path: 'other' }]),
      [`${RUN}/artifacts/model/MLmodel`]: SIGNED,
      [`${RUN}/artifacts/other/MLmodel`]: UNSIGNED,
    });
    expect((await readPlainRun(s, RUN)).artifact).toBe(`${RUN}/artifacts/model`);
  });

  it('without a signed entry, the last entry is the model', async () => {
    const s = await source({
      [`${RUN}/tags/mlflow.log-model.history`]: history([{ artifact_path: 'a' }, { artifact_path: 'b' }]),
      [`${RUN}/artifacts/a/MLmodel`]: UNSIGNED,
      [`${RUN}/artifacts/b/MLmodel`]: UNSIGNED,
    });
    expect((await readPlainRun(s, RUN)).artifact).toBe(`${RUN}/artifacts/b`);
  });

  it('of several MLflow 3 logged models, the one with a signature, though the explainer is newer', async () => {
    const s = await source({
      [`${RUN}/outputs/m-aaa/meta.yaml`]: 'model_id: m-aaa\n',
      [`${RUN}/outputs/m-bbb/meta.yaml`]: 'model_id: m-bbb\n',
      'mlruns/1/models/m-aaa/meta.yaml': 'creation_timestamp: 1\n',
      'mlruns/1/models/m-aaa/artifacts/MLmodel': SIGNED,
      'mlruns/1/models/m-bbb/meta.yaml': 'creation_timestamp: 2\n',
      'mlruns/1/models/m-bbb/artifacts/MLmodel': UNSIGNED,
    });
    const run = await readPlainRun(s, RUN);
    expect(run.artifact).toBe('mlruns/1/models/m-aaa/artifacts');
    expect(run.signature.state).toBe('found');
  });
});
