/**
 * S3 end to end through the CLI: a real S3-compatible server (s3rver on 127.0.0.1, started by
 * this file; no SDK mocks) holds the artifacts and runs of a registry, and the bundled CLI is
 * run against it as a user runs it. Covers artifact verification on promotion, register's
 * digest, runs stored in S3, rollback and retention when an artifact is gone, every kind of
 * fault (exit 3, fail closed, nothing written), resolve without S3, and the cold start of
 * local-only runs (the SDK chunk is never loaded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CLI, modelgate, type RunResult } from '../helpers/cli';
import { makeRegistry, POLICY, runRecord } from '../helpers/registry';
import { closedPort, startS3, type S3TestServer } from '../helpers/s3';

// The fixture client in this process is the SDK too: keep its Node-20 notice out of the test
// log (children get a clean environment, so the product's own silencing is still tested).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'ml-models';
/** Keys under this prefix answer 403 AccessDenied (the harness's deny proxy). */
const LOCKED = 'locked';
/** Injected answers for the keys under a prefix (`bucket/prefix/`): 5xx, expired credentials. */
const faults = new Map<string, { status: number; code: string }>();
/** Every request that reached the server through the proxy, as `bucket/key`. */
const requests: string[] = [];

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3({
    buckets: [BUCKET],
    deny: [`${BUCKET}/${LOCKED}/`],
    fault: (target) => {
      requests.push(target);
      for (const [prefix, answer] of faults) if (target.startsWith(prefix)) return answer;
      return undefined;
    },
  });
}, 30_000);
afterAll(async () => {
  await s3?.stop();
});

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
/** The test context's onTestFinished: tests run concurrently, each cleans up its own. */
type Cleanup = (fn: () => Promise<void>) => void;

// ------------------------------------------------------------------------------------------
// Fixtures

type Files = Record<string, string | Uint8Array>;

const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** SPEC §6, written independently of the product: sha256sum's listing, byte-sorted, hashed. */
function prefixDigest(files: Files): string {
  const paths = Object.keys(files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return 'sha256:' + sha256(paths.map((p) => `${sha256(files[p]!)}  ${p}\n`).join(''));
}

/** A model directory with nested keys, different for each version. */
function modelFiles(v: number): Files {
  return {
    MLmodel: `artifact_path: model\nflavors:\n  sklearn: {pickled_model: model.pkl}\nrun_id: run-v${v}\n`,
    'model.pkl': `weights of v${v}\n`.repeat(50),
    'data/vocab.txt': 'basic\npro\nenterprise\n',
    'data/nested/deep/weights.bin': Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + v) % 256),
  };
}

async function upload(prefix: string, files: Files): Promise<void> {
  for (const [k, body] of Object.entries(files)) await s3.put(BUCKET, `${prefix}${k}`, body);
}

async function removePrefix(prefix: string, files: Files): Promise<void> {
  for (const k of Object.keys(files)) await s3.remove(BUCKET, `${prefix}${k}`);
}

let nsCount = 0;
/** A key namespace of its own for each test: tests change and delete objects. */
const namespace = (kind = 'reg') => `${kind}${++nsCount}-${process.pid}`;

const artifactUri = (ns: string, v: number) => `s3://${BUCKET}/${ns}/churn/${v}/`;

/** The registry's manifest with each version's artifact in S3 and its digest. */
function s3Manifest(ns: string, digests: Record<number, string>, stages: Record<number, string> = { 1: 'Archived', 2: 'Production', 3: 'Staging' }, champion = 2): string {
  const bucketOf = (v: number) => artifactUri(ns, v);
  const versions = [1, 2, 3]
    .map((v) => `  - version: ${v}\n    run: runs/v${v}.json\n    artifact: ${bucketOf(v)}\n    digest: ${digests[v]}\n    stage: ${stages[v]}\n`)
    .join('');
  return `apiVersion: modelgate/v1\nkind: Model\nname: churn-predictor\nowner: "@acme/ml-churn"\nriskTier: high\nversions:\n${versions}aliases:\n  champion: ${champion}\n`;
}

const VERIFY_POLICY = POLICY.replace('  Production:\n    from: [Staging]\n', '  Production:\n    from: [Staging]\n    artifact: { verify: true }\n');

/**
 * A committed registry whose three versions have their artifacts in S3 (under `ns`), a policy
 * verifying artifacts on Production, and the digests of what was uploaded.
 */
async function s3Registry(ns: string, opts: { bucketFor?: string | undefined; onTestFinished: Cleanup }) {
  const files: Record<number, Files> = { 1: modelFiles(1), 2: modelFiles(2), 3: modelFiles(3) };
  const digests: Record<number, string> = {};
  for (const v of [1, 2, 3]) {
    await upload(`${ns}/churn/${v}/`, files[v]!);
    digests[v] = prefixDigest(files[v]!);
  }
  let manifest = s3Manifest(ns, digests);
  if (opts.bucketFor) manifest = manifest.replaceAll(`s3://${BUCKET}/`, `s3://${opts.bucketFor}/`);
  const repo = await makeRegistry({ 'registry/churn-predictor.yaml': manifest, 'policies/churn.yaml': VERIFY_POLICY });
  opts.onTestFinished(() => repo.cleanup());
  return { repo, files, digests, manifest };
}

/** The working-tree change `check` judges: v3 Staging → Production (v2 archived). */
const promoteV3 = (manifest: string) =>
  manifest.replace(/(version: 2\n(?:    .*\n)*?    stage: )Production/, '$1Archived').replace(/(version: 3\n(?:    .*\n)*?    stage: )Staging/, '$1Production');

interface Check {
  id: string;
  status: string;
  level: string;
  message: string;
  actual?: unknown;
  expected?: unknown;
}
interface Report {
  decision: string;
  transitions: { version: number; from: string; to: string; decision: string; checks: Check[] }[];
}
const report = (r: RunResult) => JSON.parse(r.stdout) as Report;
const transition = (r: RunResult, version: number, to?: string) => report(r).transitions.find((t) => t.version === version && (to === undefined || t.to === to))!;
const checkOf = (r: RunResult, version: number, id: string) => transition(r, version).checks.find((c) => c.id === id)!;

const env = () => ({ ...s3.env });
const ACTOR = ['--actor', 'alice'];

async function head(repo: Repo): Promise<string> {
  return (await repo.git(['rev-parse', 'HEAD'])).trim();
}

// ------------------------------------------------------------------------------------------

describe.concurrent('artifact verification on promotion (check)', () => {
  it('allows a promotion whose S3 artifact matches its digest, and the SDK says nothing on stderr', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo, digests, manifest } = await s3Registry(ns, { onTestFinished });
    await repo.write('registry/churn-predictor.yaml', promoteV3(manifest));
    const r = await modelgate(repo.dir, ['check', '--format', 'json'], env());
    // No NodeVersionSupportWarning (or anything else) from the SDK on Node 20.
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(transition(r, 3, 'Production').decision).toBe('allow');
    expect(checkOf(r, 3, 'artifact.exists')).toMatchObject({ status: 'pass', actual: artifactUri(ns, 3) });
    expect(checkOf(r, 3, 'artifact.digest')).toMatchObject({ status: 'pass', expected: digests[3], actual: digests[3] });
  });

  it('one byte changed in one nested object: denied by artifact.digest, naming expected and actual', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo, files, digests, manifest } = await s3Registry(ns, { onTestFinished });
    const weights = Uint8Array.from(files[3]!['data/nested/deep/weights.bin'] as Uint8Array);
    weights[1000] = weights[1000]! ^ 0x01;
    await s3.put(BUCKET, `${ns}/churn/3/data/nested/deep/weights.bin`, weights);
    const tampered = prefixDigest({ ...files[3]!, 'data/nested/deep/weights.bin': weights });
    expect(tampered).not.toBe(digests[3]);

    await repo.write('registry/churn-predictor.yaml', promoteV3(manifest));
    const r = await modelgate(repo.dir, ['check', '--format', 'json'], env());
    expect(r.code).toBe(1);
    expect(transition(r, 3, 'Production').decision).toBe('deny');
    const digest = checkOf(r, 3, 'artifact.digest');
    expect(digest).toMatchObject({ status: 'fail', level: 'deny', expected: digests[3], actual: tampered });
    expect(digest.message).toContain(digests[3]);
    expect(digest.message).toContain(tampered);
    expect(checkOf(r, 3, 'artifact.exists').status).toBe('pass');
  });

  it('the whole prefix deleted: denied by artifact.exists', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo, files, manifest } = await s3Registry(ns, { onTestFinished });
    await removePrefix(`${ns}/churn/3/`, files[3]!);
    await repo.write('registry/churn-predictor.yaml', promoteV3(manifest));
    const r = await modelgate(repo.dir, ['check', '--format', 'json'], env());
    expect(r.code).toBe(1);
    const exists = checkOf(r, 3, 'artifact.exists');
    expect(exists).toMatchObject({ status: 'fail', level: 'deny' });
    expect(exists.message).toBe(`artifact ${artifactUri(ns, 3)} does not exist`);
  });
});

describe.concurrent('an artifact prefix with more objects than modelgate hashes', () => {
  it('more files than MODELGATE_MAX_ARTIFACT_FILES: could not evaluate (deny, exit 1) naming the prefix, after one listing page', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo, manifest } = await s3Registry(ns, { onTestFinished });
    await repo.write('registry/churn-predictor.yaml', promoteV3(manifest));
    const before = requests.length;
    const r = await modelgate(repo.dir, ['check', '--format', 'json'], { ...env(), MODELGATE_MAX_ARTIFACT_FILES: '3' });
    expect(r.code, r.stderr).toBe(1);
    for (const id of ['artifact.exists', 'artifact.digest']) {
      const c = checkOf(r, 3, id);
      expect(c).toMatchObject({ status: 'fail', level: 'deny' });
      expect(c.message).toBe(`could not evaluate: s3://${BUCKET}/${ns}/churn/3/ holds more than 3 files, more than modelgate hashes for one artifact`);
    }
    // Nothing of the prefix was downloaded: one listing, no object read.
    const asked = requests.slice(before).filter((t) => t.startsWith(`${BUCKET}/${ns}/churn/3/`));
    expect(asked).toEqual([`${BUCKET}/${ns}/churn/3/`]);
  });
});

describe.concurrent('register with an s3:// artifact', () => {
  it('writes the digest of the prefix (the spec rule, computed here independently) and commits it', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo } = await s3Registry(ns, { onTestFinished });
    const files = modelFiles(4);
    await upload(`${ns}/churn/4/`, files);
    await repo.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.89, latency_p99_ms: 6 }));
    await repo.commitAll('run v4');
    const before = await head(repo);
    const r = await modelgate(repo.dir, ['register', 'churn-predictor', '--run', 'runs/v4.json', '--artifact', artifactUri(ns, 4), '--commit', ...ACTOR], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const manifest = await readFile(join(repo.dir, 'registry/churn-predictor.yaml'), 'utf8');
    const digest = prefixDigest(files);
    // The evidence of a portable record is the digest of the file itself (SPEC section 6).
    const evidence = `sha256:${createHash('sha256').update(runRecord('run-v4', { val_auc: 0.89, latency_p99_ms: 6 })).digest('hex')}`;
    expect(manifest).toContain(`  - version: 4\n    run: runs/v4.json\n    artifact: ${artifactUri(ns, 4)}\n    digest: ${digest}\n    evidence: ${evidence}\n    stage: None\n`);
    // Committed: the manifest and the audit record, which names the artifact and its digest.
    expect((await repo.git(['rev-parse', 'HEAD~1'])).trim()).toBe(before);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
    const [record] = (await readFile(join(repo.dir, 'audit/churn-predictor.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(record).toMatchObject({ action: 'register', version: 4, to: 'None', artifact: { uri: artifactUri(ns, 4), digest }, evidence: { digest: evidence } });
  });

  it('refuses an artifact that is not there (exit 2) and writes nothing', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo } = await s3Registry(ns, { onTestFinished });
    await repo.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.89, latency_p99_ms: 6 }));
    await repo.commitAll('run v4');
    const before = await head(repo);
    const r = await modelgate(repo.dir, ['register', 'churn-predictor', '--run', 'runs/v4.json', '--artifact', `s3://${BUCKET}/${ns}/churn/typo/`, '--commit', ...ACTOR], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`artifact s3://${BUCKET}/${ns}/churn/typo/ does not exist`);
    expect(await head(repo)).toBe(before);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
  });
});

describe.concurrent('runs stored in S3', () => {
  const RUN_ID = '5b1e0f3c9d2a4e6f8a7b6c5d4e3f2a1b';
  const MLMODEL = [
    'artifact_path: model',
    'flavors:',
    '  sklearn: {pickled_model: model.pkl}',
    `run_id: ${RUN_ID}`,
    'signature:',
    `  inputs: '[{"type": "long", "name": "tenure_months", "required": true}, {"type": "double", "name": "monthly_charges", "required": true}, {"type": "string", "name": "plan", "required": true}]'`,
    `  outputs: '[{"type": "double", "required": true}]'`,
    '',
  ].join('\n');

  /** An MLflow FileStore run as `mlflow` writes it with an S3 artifact store. */
  function mlflowRun(ns: string): { files: Files; model: Files } {
    const model: Files = { MLmodel: MLMODEL, 'model.pkl': 'sklearn pickle bytes\n' };
    const files: Files = {
      'meta.yaml': `artifact_uri: s3://${BUCKET}/${ns}/mlruns/1/${RUN_ID}/artifacts\nend_time: 1731001000000\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${RUN_ID}\nrun_name: bold-fox-12\nstart_time: 1731000000000\nstatus: 3\nuser_id: alice\n`,
      'params/random_seed': '42',
      'params/learning_rate': '0.03',
      'metrics/val_auc': '1731000000000 0.871 0\n1731000500000 0.893 1\n',
      'metrics/latency_p99_ms': '1731000500000 6.5 1\n',
      'metrics/auc_by_slice/plan=basic': '1731000500000 0.861 1\n',
      'tags/data_version': '2026-10-31',
      'tags/mlflow.source.git.commit': 'a'.repeat(40),
      'tags/mlflow.user': 'alice',
      ...Object.fromEntries(Object.entries(model).map(([k, v]) => [`artifacts/model/${k}`, v])),
    };
    return { files, model };
  }

  it('status shows their metrics, and check judges them: thresholds, signature and artifact come through', async ({ onTestFinished }) => {
    const ns = namespace('runs');
    const { repo, manifest } = await s3Registry(ns, { onTestFinished });
    const run = mlflowRun(ns);
    await upload(`${ns}/mlruns/1/${RUN_ID}/`, run.files);
    await s3.put(BUCKET, `${ns}/runs/x.json`, runRecord('run-x', { val_auc: 0.72, latency_p99_ms: 5 }));
    const mlflowRef = `s3://${BUCKET}/${ns}/mlruns/1/${RUN_ID}`;
    const recordRef = `s3://${BUCKET}/${ns}/runs/x.json`;
    // v4 (MLflow run in S3) is in Staging; v5 (a JSON record in S3) is registered.
    const withRuns = manifest.replace(
      'aliases:',
      `  - version: 4\n    run: ${mlflowRef}\n    digest: ${prefixDigest(run.model)}\n    stage: Staging\n  - version: 5\n    run: ${recordRef}\n    stage: None\naliases:`,
    );
    await repo.write('registry/churn-predictor.yaml', withRuns);
    await repo.commitAll('v4 and v5, runs in S3');

    const status = await modelgate(repo.dir, ['status', '--format', 'json'], env());
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const [view] = JSON.parse(status.stdout) as { versions: { version: number; runId?: string; metrics?: Record<string, number> }[] }[];
    // Latest value by step; a nested key (metrics/auc_by_slice/plan=basic) is one metric.
    expect(view!.versions.find((v) => v.version === 4)).toMatchObject({
      runId: RUN_ID,
      metrics: { val_auc: 0.893, latency_p99_ms: 6.5, 'auc_by_slice/plan=basic': 0.861 },
    });

    // Promote v4 to Production (v2 archived) and v5 to Staging, in one change.
    let next = withRuns.replace(/(version: 2\n(?:    .*\n)*?    stage: )Production/, '$1Archived');
    next = next.replace(/(version: 4\n(?:    .*\n)*?    stage: )Staging/, '$1Production').replace(/(version: 5\n(?:    .*\n)*?    stage: )None/, '$1Staging');
    await repo.write('registry/churn-predictor.yaml', next);
    const r = await modelgate(repo.dir, ['check', '--format', 'json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const v4 = transition(r, 4, 'Production');
    expect(v4.decision).toBe('allow');
    const v4check = (id: string) => v4.checks.find((c) => c.id === id)!;
    expect(v4check('metric:val_auc.min')).toMatchObject({ status: 'pass', actual: 0.893 });
    expect(v4check('metric:val_auc.maxDecrease').status).toBe('pass'); // against v2's 0.874
    expect(v4check('metric:latency_p99_ms.max')).toMatchObject({ status: 'pass', actual: 6.5 });
    expect(v4check('signature.required').status).toBe('pass');
    expect(v4check('signature.compatible').status).toBe('pass');
    // The default artifact is the run's artifacts/model in S3, verified against its digest.
    expect(v4check('artifact.exists')).toMatchObject({ status: 'pass', actual: `${mlflowRef}/artifacts/model` });
    expect(v4check('artifact.digest')).toMatchObject({ status: 'pass', actual: prefixDigest(run.model) });
    // The JSON record is judged too: its val_auc is below the Staging threshold.
    const v5 = transition(r, 5, 'Staging');
    expect(v5.decision).toBe('deny');
    expect(v5.checks.find((c) => c.id === 'metric:val_auc.min')).toMatchObject({ status: 'fail', actual: 0.72, expected: 0.8 });
    expect(v5.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['metric:val_auc.min']);
    expect(v5.checks.find((c) => c.id === 'run.status')!.status).toBe('pass');
  });

  it('a signature change in the S3 MLmodel is caught (signature.compatible)', async ({ onTestFinished }) => {
    const ns = namespace('runs');
    const { repo, manifest } = await s3Registry(ns, { onTestFinished });
    const run = mlflowRun(ns);
    const dropped = MLMODEL.replace(', {"type": "string", "name": "plan", "required": true}', '');
    const model = { ...run.model, MLmodel: dropped };
    await upload(`${ns}/mlruns/1/${RUN_ID}/`, { ...run.files, 'artifacts/model/MLmodel': dropped });
    const withRun = manifest.replace('aliases:', `  - version: 4\n    run: s3://${BUCKET}/${ns}/mlruns/1/${RUN_ID}/\n    digest: ${prefixDigest(model)}\n    stage: Staging\naliases:`);
    await repo.write('registry/churn-predictor.yaml', withRun);
    await repo.commitAll('v4');
    await repo.write(
      'registry/churn-predictor.yaml',
      withRun.replace(/(version: 2\n(?:    .*\n)*?    stage: )Production/, '$1Archived').replace(/(version: 4\n(?:    .*\n)*?    stage: )Staging/, '$1Production'),
    );
    const r = await modelgate(repo.dir, ['check', '--format', 'json'], env());
    expect(r.code).toBe(1);
    const compatible = checkOf(r, 4, 'signature.compatible');
    expect(compatible.status).toBe('fail');
    expect(compatible.message).toContain('plan');
    expect(checkOf(r, 4, 'artifact.digest').status).toBe('pass');
  });
});

describe.concurrent('rollback and retention when an artifact is gone', () => {
  it('rollback to a version whose artifact was deleted is denied (exit 1) with the reason; once restored it goes through', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo, files } = await s3Registry(ns, { onTestFinished });
    await removePrefix(`${ns}/churn/1/`, files[1]!);
    const before = await head(repo);
    const args = ['rollback', 'churn-predictor', '--to', '1', '--reason', 'v2 misroutes enterprise customers', '--commit', '--format', 'json', ...ACTOR];
    const r = await modelgate(repo.dir, args, env());
    expect(r.code).toBe(1);
    const t = transition(r, 1, 'Production');
    expect(t.decision).toBe('deny');
    const exists = t.checks.find((c) => c.id === 'artifact.exists')!;
    expect(exists).toMatchObject({ status: 'fail', level: 'deny', message: `artifact ${artifactUri(ns, 1)} does not exist` });
    // Nothing else denied it: the artifact is the reason.
    expect(t.checks.filter((c) => c.status === 'fail' && c.level === 'deny').map((c) => c.id).sort()).toEqual(['artifact.digest', 'artifact.exists']);
    expect(await head(repo)).toBe(before);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');

    await upload(`${ns}/churn/1/`, files[1]!);
    const ok = await modelgate(repo.dir, args, env());
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(checkOf(ok, 1, 'artifact.digest').status).toBe('pass');
    expect((await repo.git(['rev-parse', 'HEAD~1'])).trim()).toBe(before);
  });

  it('check --all: an Archived version inside its retention window whose artifact is gone fails retention.archived', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo, files } = await s3Registry(ns, { onTestFinished });
    const fine = await modelgate(repo.dir, ['check', '--all', '--format', 'json'], env());
    expect(fine.code).toBe(0);
    expect(checkOf(fine, 1, 'retention.archived').status).toBe('pass');

    await removePrefix(`${ns}/churn/1/`, files[1]!);
    const r = await modelgate(repo.dir, ['check', '--all', '--format', 'json'], env());
    expect(r.code).toBe(1);
    const retention = checkOf(r, 1, 'retention.archived');
    expect(retention.status).toBe('fail');
    expect(retention.message).toContain(`artifact ${artifactUri(ns, 1)} does not exist`);
    expect(retention.message).toContain('can no longer be rolled back');
    // The versions whose artifacts are there are not affected.
    expect(transition(r, 2).decision).toBe('allow');
    expect(checkOf(r, 2, 'artifact.digest').status).toBe('pass');
  });
});

// ------------------------------------------------------------------------------------------
// Faults: exit 3, naming the object, the error and what to check; never "allowed"; nothing written.

/** Faults met while judging (check, promote, rollback): `judge` rethrows them after evaluating. */
const itJudged = it;

interface FaultCase {
  name: string;
  /** Where the registry's artifacts live, under the bucket (or under `bucket`, a missing one). */
  prefix: string;
  bucket?: string;
  env: () => Promise<Record<string, string>> | Record<string, string>;
  /** An injected answer for every request under the prefix. */
  answer?: { status: number; code: string };
  /** Expected in stderr, besides the object. */
  says: string[];
  /** Finish well within this: an endpoint that is down must fail in seconds, not minutes. */
  withinMs?: number;
}

const FAULTS: FaultCase[] = [
  {
    name: 'endpoint down (closed port)',
    prefix: 'down',
    env: async () => ({ ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${await closedPort()}` }),
    says: ['ECONNREFUSED', 'the S3 endpoint could not be reached', 'AWS_ENDPOINT_URL_S3'],
    withinMs: 15_000,
  },
  { name: 'access denied', prefix: LOCKED, env, says: ['AccessDenied', 's3:GetObject', 's3:ListBucket'] },
  { name: 'missing bucket', prefix: 'nobucket', bucket: 'no-such-bucket', env, says: ['NoSuchBucket', "bucket 'no-such-bucket' does not exist"] },
  {
    name: 'bad credentials',
    prefix: 'badkeys',
    env: () => ({ ...s3.env, AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY', AWS_SECRET_ACCESS_KEY: 'wrong' }),
    says: ['InvalidAccessKeyId', 'check the AWS credentials'],
  },
  { name: 'expired credentials', prefix: 'expired', env, answer: { status: 400, code: 'ExpiredToken' }, says: ['ExpiredToken', 'renew expired session credentials'] },
  {
    name: '5xx beyond the retries',
    prefix: 'unavailable',
    env,
    answer: { status: 503, code: 'ServiceUnavailable' },
    says: ['ServiceUnavailable', 'after 4 attempts', 'try again later'],
  },
];

function expectFault(r: RunResult, object: string, says: string[]): void {
  expect(r.code, r.stdout + r.stderr).toBe(3);
  expect(r.stderr).toContain(`cannot read ${object}`);
  for (const s of says) expect(r.stderr).toContain(s);
  expect(r.stderr).toContain('hint:');
  // Never "allowed": nothing on stdout says so.
  expect(r.stdout).not.toMatch(/ALLOW|✓|✅|"allow"/);
}

// Concurrent: each case has its own keys, repository and injected answers; most of the time
// is spent waiting on child processes.
describe.concurrent('faults end in exit 3, fail closed', () => {
  for (const c of FAULTS) {
    itJudged(`${c.name}: check and promote exit 3 naming the object; nothing is written`, async ({ onTestFinished }) => {
      const ns = `${c.prefix}/${namespace()}`;
      const { repo, manifest } = await s3Registry(ns, { bucketFor: c.bucket, onTestFinished });
      const object = `s3://${c.bucket ?? BUCKET}/${ns}/churn/3/`;
      const faultEnv = await c.env();
      if (c.answer) {
        faults.set(`${BUCKET}/${ns}/`, c.answer);
        onTestFinished(() => void faults.delete(`${BUCKET}/${ns}/`));
      }

      await repo.write('registry/churn-predictor.yaml', promoteV3(manifest));
      const started = Date.now();
      const check = await modelgate(repo.dir, ['check'], faultEnv);
      if (c.withinMs) expect(Date.now() - started).toBeLessThan(c.withinMs);
      expectFault(check, object, c.says);
      await repo.git(['checkout', '--', '.']);

      const before = await head(repo);
      const promote = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'beats v2', '--commit', '--format', 'json', ...ACTOR], faultEnv);
      expectFault(promote, object, c.says);
      expect(await head(repo)).toBe(before);
      expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
    }, 60_000);
  }

  it('register: a fault while hashing the artifact is exit 3 and writes nothing', async ({ onTestFinished }) => {
    const ns = `${LOCKED}/${namespace()}`;
    const { repo } = await s3Registry(namespace(), { onTestFinished });
    await upload(`${ns}/churn/4/`, modelFiles(4));
    await repo.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.89, latency_p99_ms: 6 }));
    await repo.commitAll('run v4');
    const before = await head(repo);
    const r = await modelgate(repo.dir, ['register', 'churn-predictor', '--run', 'runs/v4.json', '--artifact', `s3://${BUCKET}/${ns}/churn/4/`, '--commit', ...ACTOR], env());
    expectFault(r, `s3://${BUCKET}/${ns}/churn/4/`, FAULTS[1]!.says);
    expect(await head(repo)).toBe(before);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
  });

  itJudged('a run in S3 behind a closed endpoint: check exits 3 naming the run', async ({ onTestFinished }) => {
    const ns = namespace('runs');
    const { repo, manifest } = await s3Registry(ns, { onTestFinished });
    const ref = `s3://${BUCKET}/${ns}/runs/x.json`;
    await s3.put(BUCKET, `${ns}/runs/x.json`, runRecord('run-x', { val_auc: 0.9, latency_p99_ms: 5 }));
    const withRun = manifest.replace('aliases:', `  - version: 4\n    run: ${ref}\n    stage: None\naliases:`);
    await repo.write('registry/churn-predictor.yaml', withRun);
    await repo.commitAll('v4');
    await repo.write('registry/churn-predictor.yaml', withRun.replace(/(version: 4\n(?:    .*\n)*?    stage: )None/, '$1Staging'));
    const down = { ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${await closedPort()}` };
    const r = await modelgate(repo.dir, ['check'], down);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toContain(`cannot read s3://${BUCKET}/${ns}/runs/x.json`);
    expect(r.stdout).not.toMatch(/ALLOW|✓/);
  });
});

describe.concurrent('resolve', () => {
  it('prints the s3:// URI and digest without touching S3 (not even loading the SDK)', async ({ onTestFinished }) => {
    const ns = namespace();
    const { repo, digests, manifest } = await s3Registry(ns, { onTestFinished });
    // v4's run is in S3 and the manifest names no artifact: resolve must not go and read it.
    await repo.write('registry/churn-predictor.yaml', manifest.replace('aliases:', `  - version: 4\n    run: s3://${BUCKET}/${ns}/runs/y.json\n    stage: None\naliases:`));
    const log = loadLog();
    requests.length = 0;
    // An endpoint that is not even a URL: any S3 client would refuse it.
    const r = await modelgate(repo.dir, ['resolve', 'models:/churn-predictor@champion'], { ...s3.env, AWS_ENDPOINT_URL_S3: 'not a url', ...log.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([artifactUri(ns, 2), digests[2]]);
    const v4 = await modelgate(repo.dir, ['resolve', 'models:/churn-predictor/4', '--format', 'json'], { ...s3.env, ...log.env });
    expect(v4.code).toBe(0);
    expect(JSON.parse(v4.stdout)).toMatchObject({ version: 4, artifact: null, digest: null, run: `s3://${BUCKET}/${ns}/runs/y.json` });
    expect(requests.filter((t) => t.includes(ns))).toEqual([]);
    expect(log.loaded().filter(isSdkFile)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------
// Cold start: local-only runs never load the AWS SDK.

const DIST = dirname(CLI);
/** Bundle files holding the SDK's code (by a symbol only the S3 client defines). */
let sdk: string[] | undefined;
const sdkFiles = (): string[] =>
  (sdk ??= readdirSync(join(DIST, 'chunks'))
    .map((f) => join(DIST, 'chunks', f))
    .filter((f) => readFileSync(f, 'utf8').includes('ListObjectsV2Command')));
const isSdkFile = (f: string): boolean => sdkFiles().includes(f);

/** Files reachable from `entry` through static imports only (what loads at start-up). */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // esbuild's ESM output: `import {…} from "./x.js";` and `import "./x.js";` (dynamic: `import("./x.js")`).
    for (const m of text.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(resolve(dirname(file), m[1]!));
    }
  };
  visit(entry);
  return [...seen];
}

const hookDirs: string[] = [];
afterAll(() => {
  for (const d of hookDirs) rmSync(d, { recursive: true, force: true });
});

/** A `--import` preload whose loader hook logs every file module the process loads. */
function loadLog(): { env: Record<string, string>; loaded: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'mg-loads-'));
  hookDirs.push(dir);
  const logFile = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nimport { fileURLToPath } from 'node:url';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(logFile)}, fileURLToPath(url) + '\\n');\n  return next(url, context);\n}\n`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  return {
    env: { NODE_OPTIONS: `--import=${join(dir, 'register.mjs')}` },
    loaded: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n') : []),
  };
}

describe.concurrent('cold start', () => {
  it('the SDK is bundled in chunks that the CLI entry does not import statically', () => {
    const sdk = sdkFiles();
    expect(sdk.length).toBeGreaterThan(0);
    const closure = staticClosure(CLI);
    expect(closure.length).toBeGreaterThan(1); // the walk does follow static imports
    expect(closure.filter((f) => sdk.includes(f))).toEqual([]);
  });

  it('a local-only check never loads the SDK; one with an s3:// artifact does', async ({ onTestFinished }) => {
    const local = await makeRegistry();
    onTestFinished(() => local.cleanup());
    await local.write('registry/churn-predictor.yaml', promoteV3(await readFile(join(local.dir, 'registry/churn-predictor.yaml'), 'utf8')));
    const log = loadLog();
    const r = await modelgate(local.dir, ['check'], log.env);
    expect(r.code).toBe(0);
    const loaded = log.loaded();
    expect(loaded).toContain(CLI); // the hook does see the bundle's files
    expect(loaded.filter(isSdkFile)).toEqual([]);

    const ns = namespace();
    const { repo, manifest } = await s3Registry(ns, { onTestFinished });
    await repo.write('registry/churn-predictor.yaml', promoteV3(manifest));
    const withS3 = loadLog();
    const s = await modelgate(repo.dir, ['check'], { ...env(), ...withS3.env });
    expect(s.code).toBe(0);
    expect(withS3.loaded().filter(isSdkFile).length).toBeGreaterThan(0);
  });
});
