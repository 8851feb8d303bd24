/**
 * MLflow's value limits on every run format (issue 13, item 3), through the CLI bundle on real
 * git repositories: a PR registers version 2 into Staging with a portable run record, a
 * tracking-server snapshot or a W&B run directory, and the policy reads its params, tags and
 * metrics. Past a limit the verdict is `could not evaluate:` (deny, exit 1) naming the file and
 * the key, as for an MLflow run directory; at the limit the run is judged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../helpers/git';
import { expectBounded, modelgateMeasured, summary } from './fixtures/harness';

const POLICY =
  'apiVersion: modelgate/v1\nkind: Policy\nname: p\nmodels: ["m"]\nrules:\n  Staging:\n    from: [None]\n    params: { required: [lr] }\n    tags: { required: [data_version] }\n    metrics:\n      - { name: val_auc, min: 0.5 }\n';
/** W&B runs carry no free tags: model w's policy asks for one of the metadata fields instead. */
const WANDB_POLICY = POLICY.replace('name: p\nmodels: ["m"]', 'name: w\nmodels: ["w"]').replace('required: [data_version]', 'required: [wandb.program]');
const manifest = (run2?: string, model = 'm') =>
  `apiVersion: modelgate/v1\nkind: Model\nname: ${model}\nversions:\n  - version: 1\n    run: runs/r1.json\n    stage: Production\n${run2 ? `  - version: 2\n    run: ${run2}\n    stage: Staging\n` : ''}`;
const record = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ run_id: 'r2', status: 'FINISHED', params: { lr: '0.1' }, tags: { data_version: '2026-11-02' }, metrics: { val_auc: 0.9 }, ...over });
const WANDB = 'wandb/run-20261102_101010-abc123';

let repo: TestRepo;
let base: string;
let n = 0;

beforeAll(async () => {
  repo = await makeRepo({
    'modelgate.yaml': 'registry: registry\n',
    'policies/p.yaml': POLICY,
    'policies/w.yaml': WANDB_POLICY,
    'registry/m.yaml': manifest(),
    'registry/w.yaml': manifest(undefined, 'w'),
    'runs/r1.json': JSON.stringify({ run_id: 'r1', status: 'FINISHED', params: { lr: '0.1' }, tags: { data_version: '2026-11-01' }, metrics: { val_auc: 0.8 } }),
  });
  base = (await repo.git(['rev-parse', 'HEAD'])).trim();
});
afterAll(async () => {
  console.log(summary('value limits on every run format'));
  await repo?.cleanup();
});

/** A PR on `base` registering v2 with `run` and these files; the check's measured result. */
async function pr(run: string, files: Record<string, string>, label: string, model = 'm') {
  await repo.git(['checkout', '-q', '-B', `case${++n}`, base]);
  await repo.write(`registry/${model}.yaml`, manifest(run, model));
  for (const [path, text] of Object.entries(files)) await repo.write(path, text);
  const head = await repo.commitAll(label);
  const r = await modelgateMeasured(repo.dir, ['check', '--base', base, '--head', head, '--format', 'json'], label);
  expectBounded(r, label);
  return r;
}
const portable = (text: string, label: string) => pr('runs/r2.json', { 'runs/r2.json': text }, label);
const many = (count: number, value: (i: number) => unknown) => Object.fromEntries(Array.from({ length: count }, (_, i) => [i === 0 ? 'lr' : `p${i}`, value(i)]));

describe('portable run records', () => {
  it('a param of 6,001 characters: could not evaluate naming the file and the key; 6,000 is judged', async () => {
    const over = await portable(record({ params: { lr: 'é'.repeat(6001) } }), 'json 6,001-char param');
    expect(over.code, over.stderr).toBe(1);
    expect(over.stdout).toMatch(/could not evaluate: param lr is 6001 characters, longer than MLflow's 6,000-character limit for a param value, in runs\/r2\.json"/);
    const at = await portable(record({ params: { lr: 'é'.repeat(6000) } }), 'json 6,000-char param');
    expect(at.code, at.stdout).toBe(0);
  }, 60_000);

  it('a tag of 8,001 characters: could not evaluate; 8,000 is judged', async () => {
    const over = await portable(record({ tags: { data_version: 'x'.repeat(8001) } }), 'json 8,001-char tag');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/could not evaluate: tag data_version is 8001 characters, longer than MLflow's 8,000-character limit for a tag value, in runs\/r2\.json"/);
    const at = await portable(record({ tags: { data_version: 'x'.repeat(8000) } }), 'json 8,000-char tag');
    expect(at.code, at.stdout).toBe(0);
  }, 60_000);

  it('10,001 params: could not evaluate; 10,000 are judged (figures in the suite summary)', async () => {
    const over = await portable(record({ params: many(10_001, () => '1') }), 'json 10,001 params');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/could not evaluate: runs\/r2\.json.*the run has 10,001 params, more than the 10,000 modelgate reads per run/);
    const at = await portable(record({ params: many(10_000, () => '1') }), 'json 10,000 params');
    expect(at.code, at.stdout).toBe(0);
  }, 60_000);

  it('10,001 metrics (metrics and metric_history together): could not evaluate', async () => {
    const metrics = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [i === 0 ? 'val_auc' : `m${i}`, 0.9]));
    const r = await portable(record({ metrics, metric_history: { extra: [{ step: 0, value: 1, timestamp: 0 }] } }), 'json 10,001 metrics');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/could not evaluate: runs\/r2\.json.*the run has 10,001 metrics, more than the 10,000/);
  }, 60_000);

  it('a metric_history of 100,001 points: could not evaluate; 100,000 are judged', async () => {
    const points = (count: number) => Array.from({ length: count }, (_, i) => ({ step: i, value: 0.9, timestamp: i }));
    const over = await portable(record({ metrics: undefined, metric_history: { val_auc: points(100_001) } }), 'json 100,001 history points');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/could not evaluate: runs\/r2\.json.*metric_history holds 100,001 points, more than the 100,000 modelgate reads from one record/);
    const at = await portable(record({ metrics: undefined, metric_history: { val_auc: points(100_000) } }), 'json 100,000 history points');
    expect(at.code, at.stdout).toBe(0);
  }, 60_000);

  it('a tracking-server snapshot (a record with source) is held to the same limits', async () => {
    const source = { tracker: 'mlflow', tracking_uri: 'http://127.0.0.1:5000', run_id: 'r2', fetched_at: '2026-11-02T10:00:00Z' };
    const over = await portable(record({ source, tags: { data_version: 'x'.repeat(8001) } }), 'snapshot 8,001-char tag');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/could not evaluate: tag data_version is 8001 characters, .*, in runs\/r2\.json"/);
  }, 30_000);
});

describe('W&B run directories', () => {
  const wandb = (config: string, label: string, metadata = '{"program": "train.py"}') =>
    pr(WANDB, { [`${WANDB}/files/config.yaml`]: config, [`${WANDB}/files/wandb-summary.json`]: '{"val_auc": 0.9}', [`${WANDB}/files/wandb-metadata.json`]: metadata }, label, 'w');

  it('a config value of 6,001 characters: could not evaluate naming config.yaml and the key; 6,000 is judged', async () => {
    const over = await wandb(`lr:\n  value: "${'y'.repeat(6001)}"\n`, 'wandb 6,001-char param');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/could not evaluate: param lr is 6001 characters, .*, in wandb\/run-20261102_101010-abc123\/files\/config\.yaml:2:\d+ \(at \/lr\/value\)"/);
    const at = await wandb(`lr:\n  value: "${'y'.repeat(6000)}"\n`, 'wandb 6,000-char param');
    expect(at.code, at.stdout).toBe(0);
  }, 60_000);

  it('10,001 config keys (lr and a nested map of 10,000, flattened): could not evaluate', async () => {
    const nested = Array.from({ length: 10_000 }, (_, i) => `    k${i}: ${i}\n`).join('');
    const r = await wandb(`lr:\n  value: 0.1\nmodel:\n  value:\n${nested}`, 'wandb 10,001 params');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/could not evaluate: wandb\/.*config\.yaml.*the run has 10,001 params, more than the 10,000/);
  }, 30_000);

  it('a wandb-metadata.json field of 8,001 characters (a tag): could not evaluate', async () => {
    const r = await wandb('lr:\n  value: 0.1\n', 'wandb 8,001-char tag', JSON.stringify({ program: 'p'.repeat(8001) }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/could not evaluate: tag wandb\.program is 8001 characters, .*, in wandb\/run-20261102_101010-abc123\/files\/wandb-metadata\.json"/);
  }, 30_000);
});
