/**
 * import mlflow end to end through the CLI: from the MLflow stand-in (seeded from the recordings,
 * then given several versions in every stage, two aliases, a version still registering and a
 * paged search) and from the recorded file store committed in a repository. What is written
 * and committed, the modelgate.version tags set only after the commit, adoption (validate,
 * audit verify, status, resolve, then a promote that starts the audit log), the gate's verdict
 * on a pull request that adds an imported manifest, and every fault with nothing written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { makeRegistry, POLICY } from '../helpers/registry';
import { makeRepo } from '../helpers/git';
import { startMlflowServer, type MlflowStandIn, type StandInOptions, type StandInVersion } from '../helpers/mlflowServer';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const NAME = 'churn-classifier';
const CHILD = '3c230151bf964df78cdeb657d6ddc136';
const CHALLENGER_RUN = '0b47bc600c644e58b0f64a9269e7f38e';
const SAMPLE = '/work/shared/mlflow/filestore-sample/mlruns';

/** Only churn-predictor keeps the strict policy; the imported model gets a plain one (Production from Staging). */
const FILES = {
  'policies/churn.yaml': POLICY.replace('models: ["churn-*"]', 'models: ["churn-predictor"]'),
  'policies/classifier.yaml': `apiVersion: modelgate/v1\nkind: Policy\nname: classifier\nmodels: ["churn-classifier", "churn"]\nrules:\n  Production:\n    from: [Staging]\n`,
};

/**
 * The MLflow registry an adopting team has: v1 Archived, v2 Staging, v3 Production (a second
 * model version of v1's run), v4 still PENDING_REGISTRATION; @champion -> v3, @challenger -> v2.
 */
function seedRegistry(server: MlflowStandIn): void {
  const m = server.models.get(NAME)!;
  const [v1, v2] = m.versions as [StandInVersion, StandInVersion];
  v1.current_stage = 'Archived';
  v2.current_stage = 'Staging';
  m.versions.push({ ...structuredClone(v1), version: '3', current_stage: 'Production', description: 'retrained', tags: [] });
  m.versions.push({ ...structuredClone(v2), version: '4', current_stage: 'None', status: 'PENDING_REGISTRATION', tags: [] });
  m.aliases = new Map([
    ['champion', '3'],
    ['challenger', '2'],
  ]);
}

async function setup(opts: StandInOptions = {}, files: Record<string, string> = FILES): Promise<{ repo: Repo; server: MlflowStandIn; env: Record<string, string> }> {
  const repo = await makeRegistry(files);
  const server = await startMlflowServer({ lifetimeMs: 60_000, searchPageSize: 2, ...opts });
  seedRegistry(server);
  cleanups.push(() => repo.cleanup(), () => server.stop());
  return { repo, server, env: { MLFLOW_TRACKING_URI: server.url, MODELGATE_MLFLOW_BACKOFF_MS: '1', MODELGATE_MLFLOW_ATTEMPTS: '2' } };
}

async function clean(repo: Repo): Promise<void> {
  expect((await repo.git(['status', '--porcelain', '--untracked-files=all'])).trim()).toBe('');
}

function tagOf(server: MlflowStandIn, version: string): string | undefined {
  return server.models.get(NAME)!.versions.find((v) => v.version === version)!.tags.find((t) => t.key === 'modelgate.version')?.value;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('import mlflow <registered-model> from a tracking server', () => {
  it('writes the manifest and snapshots in one commit, then tags each imported version', async () => {
    const { repo, server, env } = await setup();
    const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/v4 left out: its status is PENDING_REGISTRATION/);

    const manifest = await readFile(join(repo.dir, 'registry/churn-classifier.yaml'), 'utf8');
    const snap1 = `runs/churn-classifier/${CHILD}.json`;
    const snap2 = `runs/churn-classifier/${CHALLENGER_RUN}.json`;
    // v3 is a second version of v1's run: its own snapshot, beside the first.
    const snap3 = `runs/churn-classifier/${CHILD}.v3.json`;
    const texts = await Promise.all([snap1, snap2, snap3].map((p) => readFile(join(repo.dir, p), 'utf8')));
    expect(manifest).toContain('name: churn-classifier\n');
    expect(manifest).not.toContain('mlflow:'); // same name: nothing to say
    const versions = manifest.split('  - version: ').slice(1);
    expect(versions).toHaveLength(3);
    expect(versions[0]).toMatch(new RegExp(`^1\\n    run: ${snap1}\\n    artifact: mlflow-artifacts:/1/models/m-a1032d507ff04e4e8623a178004f7a80/artifacts\\n    digest: sha256:[0-9a-f]{64}\\n    evidence: sha256:${sha256(texts[0]!)}\\n    stage: Archived\\n$`));
    expect(versions[1]).toContain(`run: ${snap2}`);
    expect(versions[1]).toContain(`evidence: sha256:${sha256(texts[1]!)}`);
    expect(versions[1]).toContain('stage: Staging');
    expect(versions[2]).toContain(`run: ${snap3}`);
    expect(versions[2]).toMatch(/stage: Production\n(aliases:|$)/);
    expect(manifest).toMatch(/aliases:\n  challenger: 2\n  champion: 3\n/);
    expect(JSON.parse(texts[2]!).source.registered_model).toEqual({ name: NAME, version: '3' });
    // The artifact digest is the model directory through the proxy, as register computes it.
    const dir = '1/models/m-a1032d507ff04e4e8623a178004f7a80/artifacts';
    const listing = ['MLmodel', 'model.pkl'].map((f) => `${sha256(server.artifacts.get(`${dir}/${f}`)!)}  ${f}\n`).join('');
    expect(versions[0]).toContain(`digest: sha256:${sha256(listing)}`);

    // One commit, with exactly these files and the import trailers; no audit log.
    expect((await repo.git(['rev-list', '--count', `${head}..HEAD`])).trim()).toBe('1');
    const files = (await repo.git(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n').sort();
    expect(files).toEqual(['registry/churn-classifier.yaml', snap2, snap1, snap3].sort());
    const message = await repo.git(['log', '-1', '--format=%B']);
    expect(message).toMatch(/^modelgate: import churn-classifier from MLflow \(3 versions\)/);
    expect(message).toContain('Modelgate-Model: churn-classifier\nModelgate-Version: 3\nModelgate-Transition: new -> Production');
    expect(message).toContain('Modelgate-Import: mlflow churn-classifier');
    expect(message).not.toContain('Modelgate-Audit');
    expect(existsSync(join(repo.dir, 'audit/churn-classifier.jsonl'))).toBe(false);
    await clean(repo);

    // Tags after the commit, on the imported versions only.
    expect(['1', '2', '3', '4'].map((v) => tagOf(server, v))).toEqual(['1', '2', '3', undefined]);
    // The adoption: the registered model is tagged for this manifest, so `sync mlflow` may write to it.
    expect(server.models.get(NAME)!.tags).toContainEqual({ key: 'modelgate.model', value: 'churn-classifier' });
    const lines = server.requests.map((q) => q.line);
    const firstTag = lines.findIndex((l) => l.startsWith('POST /api/2.0/mlflow/model-versions/set-tag'));
    const lastRead = lines.length - 1 - [...lines].reverse().findIndex((l) => l.startsWith('GET'));
    expect(firstTag).toBeGreaterThan(lastRead);
    // The search was paged (2 per page here): followed to its end.
    expect(lines.filter((l) => l.includes('model-versions/search')).length).toBe(2);
    expect(lines.some((l) => l.includes('model-versions/search') && l.includes('page_token='))).toBe(true);
  });

  it('is adopted: validate, audit verify, status and resolve work; a later promote starts the audit log', async () => {
    const { repo, env } = await setup();
    expect((await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env)).code).toBe(0);
    expect((await modelgate(repo.dir, ['validate'])).code).toBe(0);
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const status = await modelgate(repo.dir, ['status', NAME, '--format', 'json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('"Production"');
    const resolved = await modelgate(repo.dir, ['resolve', `models:/${NAME}@champion`, '--format', 'json']);
    expect(resolved.code, resolved.stderr).toBe(0);
    const manifest = await readFile(join(repo.dir, 'registry/churn-classifier.yaml'), 'utf8');
    const v3digest = /version: 3\n[\s\S]*?digest: (sha256:[0-9a-f]{64})/.exec(manifest)![1]!;
    expect(JSON.parse(resolved.stdout)).toMatchObject({ version: 3, digest: v3digest });

    // The first decision after adoption: its records begin the log, and verify still passes.
    const promote = await modelgate(repo.dir, ['promote', NAME, '2', '--to', 'Production', '--commit', '--actor', 'alice'], env);
    expect(promote.code, promote.stdout + promote.stderr).toBe(0);
    const log = (await readFile(join(repo.dir, 'audit/churn-classifier.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { seq: number; version: number; from: string; to: string });
    expect(log.map((x) => [x.seq, x.version, x.from, x.to])).toEqual([
      [1, 2, 'Staging', 'Production'],
      [2, 3, 'Production', 'Archived'],
    ]);
    const after = await modelgate(repo.dir, ['audit', 'verify']);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    // A version imported without records keeps its imported stage: a hand edit of it is caught.
    await writeFile(join(repo.dir, 'registry/churn-classifier.yaml'), (await readFile(join(repo.dir, 'registry/churn-classifier.yaml'), 'utf8')).replace('stage: Archived', 'stage: Staging'));
    await repo.commitAll('hand edit of v1');
    const tampered = await modelgate(repo.dir, ['audit', 'verify']);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout + tampered.stderr).toMatch(/v1 .*Staging/);
  });

  it('an admin\'s direct import, recorded after the push like any merged change: records name the import commit, verify passes', async () => {
    const { repo, env } = await setup();
    expect((await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env)).code).toBe(0);
    const imported = (await repo.git(['rev-parse', 'HEAD'])).trim();
    const rec = await modelgate(repo.dir, ['record', '--since', 'HEAD~1', '--commit', '--actor', 'ci-bot', '--format', 'json']);
    expect(rec.code, rec.stderr).toBe(0);
    const out = JSON.parse(rec.stdout) as { records: { action: string; version: number; to: string; source: { commit: string } }[] };
    expect(out.records.map((r) => [r.action, r.version, r.to]).sort()).toEqual([
      ['alias', 2, '@challenger'],
      ['alias', 3, '@champion'],
      ['register', 1, 'Archived'],
      ['register', 2, 'Staging'],
      ['register', 3, 'Production'],
    ]);
    expect(out.records.every((r) => r.source.commit === imported)).toBe(true);
    // Straight into Archived and Production: recorded past the gate, and said so.
    expect(rec.stderr).toMatch(/churn-classifier v3 was merged in [0-9a-f]{12} with failing checks: transition\.allowed/);
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('a repository without commits yet: the import is its first commit', async () => {
    const { server, env } = await setup();
    const repo = await makeRepo();
    cleanups.push(() => repo.cleanup());
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code, r.stderr).toBe(0);
    expect((await repo.git(['rev-list', '--count', 'HEAD'])).trim()).toBe('1');
    expect(await readFile(join(repo.dir, 'registry/churn-classifier.yaml'), 'utf8')).toContain(`run: runs/churn-classifier/${CHILD}.json`);
    await clean(repo);
    expect(tagOf(server, '3')).toBe('3');
    expect((await modelgate(repo.dir, ['validate'])).code).toBe(0);
    expect((await modelgate(repo.dir, ['audit', 'verify'])).code).toBe(0);
  });

  it('--as names the manifest; it says which MLflow model it is (mlflow: {name})', async () => {
    const { repo, env } = await setup();
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--as', 'churn', '--commit'], env);
    expect(r.code, r.stderr).toBe(0);
    const manifest = await readFile(join(repo.dir, 'registry/churn.yaml'), 'utf8');
    expect(manifest).toMatch(/^# .*\napiVersion: modelgate\/v1\nkind: Model\nname: churn\ndescription: .*\nmlflow:\n  name: churn-classifier\nversions:\n/);
    expect(manifest).toContain(`run: runs/churn/${CHILD}.json`);
    expect((await modelgate(repo.dir, ['validate'])).code).toBe(0);
    expect((await modelgate(repo.dir, ['audit', 'verify'])).code).toBe(0);
  });

  it('--dry-run fetches and shows, writes nothing and sets no tag; --format json is stable', async () => {
    const { repo, server, env } = await setup();
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--dry-run', '--commit', '--format', 'json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { versions: { version: number; stage: string }[]; aliases: Record<string, number>; written: boolean; commit: null; tagged: number[]; notes: string[] };
    expect(out.versions.map((v) => [v.version, v.stage])).toEqual([
      [1, 'Archived'],
      [2, 'Staging'],
      [3, 'Production'],
    ]);
    expect(out).toMatchObject({ aliases: { challenger: 2, champion: 3 }, written: false, commit: null, tagged: [] });
    expect(out.notes).toHaveLength(1);
    await clean(repo);
    expect(server.requests.some((q) => q.line.startsWith('POST'))).toBe(false);
  });

  it('without --commit writes the files uncommitted and tags nothing', async () => {
    const { repo, server, env } = await setup();
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME], env);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(repo.dir, 'registry/churn-classifier.yaml'))).toBe(true);
    expect(server.requests.some((q) => q.line.startsWith('POST'))).toBe(false);
    // The same import again: the manifest exists, exit 2, nothing changed.
    const before = await repo.git(['status', '--porcelain', '--untracked-files=all']);
    const again = await modelgate(repo.dir, ['import', 'mlflow', NAME], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/registry\/churn-classifier\.yaml already exists: import never overwrites a manifest/);
    expect(await repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe(before);
  });

  it('a search of one version per page is followed to its end', async () => {
    const { repo, server, env } = await setup({ searchPageSize: 1 });
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--dry-run', '--format', 'json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { versions: unknown[] }).versions).toHaveLength(3);
    expect(server.requests.filter((q) => q.line.includes('model-versions/search')).length).toBe(4);
  });
});

describe('import mlflow: faults', () => {
  it.each([
    ['an unknown registered model', ['import', 'mlflow', 'no-such-model'], /no registered model 'no-such-model' on the tracking server/],
    ['a name that cannot be a manifest, without --as', ['import', 'mlflow', 'churn classifier'], /cannot be a manifest name[\s\S]*--as/],
    ['another source than mlflow', ['import', 'wandb', NAME], /cannot import from 'wandb'/],
  ])('%s is exit 2, nothing written', async (_what, args, message) => {
    const { repo, env } = await setup();
    const r = await modelgate(repo.dir, [...args, '--commit'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    await clean(repo);
  });

  it('without MLFLOW_TRACKING_URI (and no --from) is exit 2 naming both', async () => {
    const { repo } = await setup();
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MLFLOW_TRACKING_URI[\s\S]*--from mlruns/);
  });

  it('two versions in Production in MLflow is exit 2: which one serves is the owner\'s call', async () => {
    const { repo, server, env } = await setup();
    server.models.get(NAME)!.versions[1]!.current_stage = 'Production';
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 versions in Production in MLflow \(v2, v3\)/);
    await clean(repo);
  });

  it('an existing manifest is exit 2 and never overwritten', async () => {
    const { repo, env } = await setup();
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--as', 'churn-predictor', '--commit'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/registry\/churn-predictor\.yaml already exists/);
    await clean(repo);
  });

  it('an existing snapshot file is exit 2, nothing written', async () => {
    const { repo, env } = await setup();
    await repo.write(`runs/churn-classifier/${CHALLENGER_RUN}.json`, '{"run_id": "x"}\n');
    await repo.commitAll('an old snapshot');
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    await clean(repo);
  });

  it('the server failing mid-import (after the first snapshots) is exit 3 with nothing written and no tag', async () => {
    const { repo, server, env } = await setup();
    // The second version's run fails on every attempt: the first version was already fetched.
    server.inject({ match: new RegExp(`runs/get\\?run_id=${CHALLENGER_RUN}`), status: 503, times: 100 });
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/failed after 2 attempts/);
    await clean(repo);
    expect(server.requests.some((q) => q.line.startsWith('POST'))).toBe(false);
    // The server going away entirely.
    await server.stop();
    const down = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(down.code).toBe(3);
    await clean(repo);
  });

  it('a commit refused by a hook is exit 3 and takes every file back', async () => {
    const { repo, server, env } = await setup();
    await writeFile(join(repo.dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho "no commits today" >&2\nexit 1\n', { mode: 0o755 });
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no commits today/);
    await clean(repo);
    expect(server.requests.some((q) => q.line.startsWith('POST'))).toBe(false);
  });

  it('tagging failing after the commit is exit 3 naming what is done; re-running sets only the missing tags', async () => {
    const { repo, server, env } = await setup();
    server.inject({ match: /model-versions\/set-tag/, status: 503, times: 2 }); // v1's tag fails twice: both attempts (the registered-model tag, set first, lands)
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/imported churn-classifier and committed it \([0-9a-f]{12}\), but setting the modelgate\.version tag on MLflow version 1 failed/);
    expect(r.stderr).toMatch(/Still to tag: v1, v2, v3\. Re-run the same command/);
    const commit = (await repo.git(['rev-parse', 'HEAD'])).trim();
    expect(await repo.git(['log', '-1', '--format=%s'])).toMatch(/^modelgate: import churn-classifier/);
    await clean(repo);
    expect(tagOf(server, '1')).toBeUndefined();
    expect(server.models.get(NAME)!.tags).toContainEqual({ key: 'modelgate.model', value: 'churn-classifier' });
    // v2 gets its tag by hand meanwhile: the re-run sets v1 and v3 only.
    server.models.get(NAME)!.versions[1]!.tags.push({ key: 'modelgate.version', value: '2' });
    const again = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already imported and committed: set the modelgate\.version tag on v1, v3/);
    expect((await repo.git(['rev-parse', 'HEAD'])).trim()).toBe(commit);
    await clean(repo);
    expect(['1', '2', '3'].map((v) => tagOf(server, v))).toEqual(['1', '2', '3']);
    // Everything done: the manifest simply exists.
    const third = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(third.code).toBe(2);
  });

  it('the registered-model tag failing after the commit is exit 3; re-running adopts the model, then tags the versions', async () => {
    const { repo, server, env } = await setup();
    server.inject({ match: /registered-models\/set-tag/, status: 503, times: 2 });
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/imported churn-classifier and committed it \([0-9a-f]{12}\), but setting the registered-model tag modelgate\.model on churn-classifier failed/);
    expect(server.models.get(NAME)!.tags.some((t) => t.key === 'modelgate.model')).toBe(false);
    expect(tagOf(server, '1')).toBeUndefined(); // the model is adopted first: no version tag before it
    await clean(repo);
    const again = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(server.models.get(NAME)!.tags).toContainEqual({ key: 'modelgate.model', value: 'churn-classifier' });
    expect(['1', '2', '3'].map((v) => tagOf(server, v))).toEqual(['1', '2', '3']);
    expect((await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env)).code).toBe(2);
  });

  it('a hand-written manifest of the same name is never taken for a committed import', async () => {
    const { repo, server, env } = await setup();
    await repo.write('registry/churn-classifier.yaml', 'apiVersion: modelgate/v1\nkind: Model\nname: churn-classifier\nversions:\n  - version: 1\n    run: runs/v1.json\n    stage: None\n');
    await repo.commitAll('a manifest by hand');
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(server.requests.some((q) => q.line.startsWith('POST'))).toBe(false);
  });
});

describe('import mlflow --from <mlruns>: a file store committed in the repository', () => {
  async function withSample(): Promise<Repo> {
    const repo = await makeRegistry(FILES);
    cleanups.push(() => repo.cleanup());
    await cp(SAMPLE, join(repo.dir, 'mlruns'), { recursive: true });
    await repo.commitAll('the file store');
    return repo;
  }

  it('references the runs in place, with their digests, stages and aliases', async () => {
    const repo = await withSample();
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--from', 'mlruns', '--commit']);
    expect(r.code, r.stderr).toBe(0);
    const manifest = await readFile(join(repo.dir, 'registry/churn-classifier.yaml'), 'utf8');
    expect(manifest).toContain('description: Churn classifier gated by modelgate (acceptance data)');
    expect(manifest).toMatch(
      /- version: 1\n    run: mlruns\/417344215812358753\/66a226894f0b453b88a34d1033af8a40\n    artifact: mlruns\/417344215812358753\/models\/m-04caca97ef1d4f1982c3a79c27382064\/artifacts\n    digest: sha256:[0-9a-f]{64}\n    evidence: sha256:[0-9a-f]{64}\n    stage: None\n/,
    );
    expect(manifest).toContain('run: mlruns/417344215812358753/8a5e1d87cd61449ba602cbeea0fcf078');
    expect(manifest).toContain('artifact: mlruns/417344215812358753/models/m-1ec53553c4e14b7eacb7d1bdf0f98685/artifacts');
    expect(manifest).toMatch(/aliases:\n  challenger: 2\n  champion: 1\n/);
    expect((await repo.git(['show', '--name-only', '--format=', 'HEAD'])).trim()).toBe('registry/churn-classifier.yaml');
    await clean(repo);
    expect((await modelgate(repo.dir, ['validate'])).code).toBe(0);
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.code, verify.stdout).toBe(0);
    const resolved = await modelgate(repo.dir, ['resolve', `models:/${NAME}@champion`, '--format', 'json']);
    expect(JSON.parse(resolved.stdout)).toMatchObject({ version: 1 });
    // The evidence pinned is what verify recomputes: a changed metric file is named.
    await writeFile(join(repo.dir, 'mlruns/417344215812358753/66a226894f0b453b88a34d1033af8a40/metrics/val_auc'), '1796238000000 0.99 0\n');
    const changed = await modelgate(repo.dir, ['audit', 'verify']);
    expect(changed.code).toBe(1);
    expect(changed.stdout + changed.stderr).toMatch(/v1: its evidence changed/);
  });

  it('stages come from each version\'s meta.yaml; a version whose run is not in the repository is left out with its aliases', async () => {
    const repo = await withSample();
    const v2 = join(repo.dir, 'mlruns/models/churn-classifier/version-2/meta.yaml');
    await writeFile(v2, (await readFile(v2, 'utf8')).replace('current_stage: None', 'current_stage: Production'));
    const v1 = join(repo.dir, 'mlruns/models/churn-classifier/version-1/meta.yaml');
    await writeFile(v1, (await readFile(v1, 'utf8')).replace(/run_id: \w+/, 'run_id: 0123456789abcdef0123456789abcdef'));
    await repo.commitAll('stages');
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--from', 'mlruns', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { versions: { version: number; stage: string }[]; aliases: Record<string, number>; notes: string[] };
    expect(out.versions.map((v) => [v.version, v.stage])).toEqual([[2, 'Production']]);
    expect(out.aliases).toEqual({ challenger: 2 });
    expect(out.notes.join('\n')).toMatch(/v1 left out: its run 0123456789abcdef0123456789abcdef is not in mlruns/);
    expect(out.notes.join('\n')).toMatch(/alias @champion left out/);
  });

  it('an unknown registered model, or a path leaving the repository, is exit 2 with nothing written', async () => {
    const repo = await withSample();
    const unknown = await modelgate(repo.dir, ['import', 'mlflow', 'nope', '--from', 'mlruns']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no registered model 'nope' in the file store mlruns[\s\S]*churn-classifier/);
    for (const args of [['--from', '../outside'], ['--from', '/etc']]) {
      const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, ...args]);
      expect(r.code, r.stderr).toBe(2);
    }
    const traversal = await modelgate(repo.dir, ['import', 'mlflow', '..', '--as', 'x', '--from', 'mlruns']);
    expect(traversal.code).toBe(2);
    await clean(repo);
  });

  it('--commit refuses runs that are not committed as they are: the manifest would name files git does not have', async () => {
    const repo = await withSample();
    const metric = join(repo.dir, 'mlruns/417344215812358753/66a226894f0b453b88a34d1033af8a40/metrics/val_auc');
    await writeFile(metric, `${await readFile(metric, 'utf8')}1796238099999 0.5 99\n`);
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--from', 'mlruns', '--commit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mlruns\/417344215812358753\/66a226894f0b453b88a34d1033af8a40\/metrics\/val_auc has changes that are not committed/);
    expect(existsSync(join(repo.dir, 'registry/churn-classifier.yaml'))).toBe(false);
  });
});

describe('the gate on a pull request that adds an imported manifest', () => {
  /** A branch holding the import commit, as a PR would; main stays at the base. */
  async function importBranch(files: Record<string, string> = FILES): Promise<Repo> {
    const { repo, env } = await setup({}, files);
    await repo.git(['checkout', '-q', '-b', 'adopt']);
    const r = await modelgate(repo.dir, ['import', 'mlflow', NAME, '--commit'], env);
    expect(r.code, r.stderr).toBe(0);
    return repo;
  }

  it('is judged like any new model: a version imported into Production is denied (None -> Production)', async () => {
    const repo = await importBranch();
    const r = await modelgate(repo.dir, ['check', '--base', 'main', '--head', 'HEAD', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { transitions: { version: number; to: string; decision: string }[] };
    expect(report.transitions.find((t) => t.version === 3 && t.to === 'Production')?.decision).toBe('deny');
  });

  it('a hand-written "import" gets the same verdict: trailers, snapshots and mlflow: prove nothing', async () => {
    const { repo } = await setup();
    await repo.git(['checkout', '-q', '-b', 'forged']);
    await repo.write('runs/forged.json', '{"run_id": "forged", "status": "FINISHED", "source": {"tracker": "mlflow", "tracking_uri": "https://mlflow.example", "run_id": "forged", "experiment_id": "1", "registered_model": {"name": "churn-classifier", "version": "1"}, "fetched_at": "2026-12-01T00:00:00.000Z"}}\n');
    await repo.write('registry/churn.yaml', '# Imported from the MLflow Model Registry by `modelgate import mlflow`.\napiVersion: modelgate/v1\nkind: Model\nname: churn\nmlflow:\n  name: churn-classifier\nversions:\n  - version: 1\n    run: runs/forged.json\n    stage: Production\n');
    await repo.git(['add', '-A']);
    await repo.git(['commit', '-q', '-m', 'modelgate: import churn from MLflow (1 version)\n\nModelgate-Model: churn\nModelgate-Version: 1\nModelgate-Transition: new -> Production\nModelgate-Import: mlflow churn-classifier']);
    const r = await modelgate(repo.dir, ['check', '--base', 'main', '--head', 'HEAD', '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { decision: string }).decision).toBe('deny');
  });

  it('is allowed under a base policy that admits versions straight into Production (the adoption policy)', async () => {
    // Every stage an import can bring must be enterable from None: Archived too.
    const adoption = { ...FILES, 'policies/classifier.yaml': FILES['policies/classifier.yaml'].replace('from: [Staging]', 'from: [None, Staging]\n  Archived:\n    from: [None, Staging, Production]') };
    const repo = await importBranch(adoption);
    const r = await modelgate(repo.dir, ['check', '--base', 'main', '--head', 'HEAD', '--format', 'json']);
    expect(r.code, r.stdout).toBe(0);
  });
});
