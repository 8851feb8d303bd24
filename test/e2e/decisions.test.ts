/**
 * Decisions end to end on real git repositories: promote, archive, rollback, register with
 * --commit; the audit trail they write; record after a merge; audit verify against tampering;
 * a crash between writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { makeRegistry, MANIFEST, runRecord } from '../helpers/registry';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const repos: Repo[] = [];
async function registry(overrides: Record<string, string | null> = {}): Promise<Repo> {
  const r = await makeRegistry(overrides);
  repos.push(r);
  return r;
}
afterEach(async () => {
  while (repos.length) await repos.pop()!.cleanup();
});

const ACTOR = ['--actor', 'alice'];

/** A recorded promotion, then a commit that revives v1 by hand (no record): what `record` is for. */
async function handMadeStageChange(): Promise<Repo> {
  const repo = await registry();
  await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'ship', '--commit', ...ACTOR]);
  const manifest = await readFile(join(repo.dir, 'registry/churn-predictor.yaml'), 'utf8');
  await repo.write('registry/churn-predictor.yaml', manifest.replace(/(version: 1\n\s+run: runs\/v1.json\n\s+stage: )Archived/, '$1Staging'));
  await repo.commitAll('Merge pull request #42 from acme/revive-v1');
  return repo;
}

async function auditLines(repo: Repo): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(repo.dir, 'audit/churn-predictor.jsonl'), 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The spec's hash rule, re-implemented independently of the product. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}
function recordHash(r: Record<string, unknown>): string {
  const { hash: _hash, ...rest } = r;
  return 'sha256:' + createHash('sha256').update(canonical(rest)).digest('hex');
}

describe('promote', () => {
  it('promotes with --commit: two records (promote + displaced archive), trailers, a minimal diff', async () => {
    // v3's run says where its model is; the manifest does not (the default location).
    const repo = await registry({ 'runs/v3.json': runRecord('run-v3', { val_auc: 0.882, latency_p99_ms: 8.4 }, { artifact: 's3://ml-models/churn/run-v3/model' }) });
    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'beats champion on val_auc', '--commit', ...ACTOR]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    // One commit holding the manifest and the audit log.
    const files = (await repo.git(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n').sort();
    expect(files).toEqual(['audit/churn-predictor.jsonl', 'registry/churn-predictor.yaml']);
    // The manifest diff touches exactly the two stage lines; comments survive.
    const diff = await repo.git(['diff', 'HEAD~1', 'HEAD', '--unified=0', '--', 'registry/churn-predictor.yaml']);
    const changed = diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
    expect(changed).toHaveLength(4);
    const manifest = await readFile(join(repo.dir, 'registry/churn-predictor.yaml'), 'utf8');
    expect(manifest).toContain('# v1 was the first production model; kept for rollback.');
    expect(manifest).toContain('# retrained on March data');
    // Records: chained, hashes agree with an independent implementation of the rule.
    const records = await auditLines(repo);
    expect(records.map((x) => [x.seq, x.version, x.from, x.to, x.action])).toEqual([
      [1, 3, 'Staging', 'Production', 'promote'],
      [2, 2, 'Production', 'Archived', 'archive'],
    ]);
    expect(records[0]!.prev).toBe('sha256:' + '0'.repeat(64));
    expect(records[1]!.prev).toBe(records[0]!.hash);
    for (const rec of records) expect(rec.hash).toBe(recordHash(rec));
    expect(records[0]).toMatchObject({ actor: 'alice', reason: 'beats champion on val_auc', model: 'churn-predictor', displaced: 2, riskTier: 'high' });
    expect((records[0]!.evidence as { baseline: { version: number } }).baseline.version).toBe(2);
    // The manifest names no artifact for v3: the record names where its run keeps it.
    expect(records[0]!.artifact).toEqual({ uri: 's3://ml-models/churn/run-v3/model' });
    // Trailers readable by git itself.
    const trailers = await repo.git(['log', '-1', '--format=%(trailers:key=Modelgate-Model,key=Modelgate-Version,key=Modelgate-Transition)']);
    expect(trailers).toContain('Modelgate-Model: churn-predictor');
    expect(trailers).toContain('Modelgate-Version: 3');
    expect(trailers).toContain('Modelgate-Transition: Staging -> Production');
    const audit = await repo.git(['log', '-1', '--format=%(trailers:key=Modelgate-Audit,valueonly)']);
    expect(audit.trim().split('\n')).toContain(records[0]!.hash);
    expect((await repo.git(['log', '-1', '--format=%s'])).trim()).toBe('modelgate: promote churn-predictor v3 Staging -> Production');
    // And the trail verifies.
    const v = await modelgate(repo.dir, ['audit', 'verify']);
    expect(v.stdout + v.stderr).not.toMatch(/✗/);
    expect(v.code).toBe(0);
  });

  it('a denied promotion writes nothing (exit 1, git status clean)', async () => {
    const repo = await registry({ 'runs/v3.json': runRecord('run-v3', { val_auc: 0.86, latency_p99_ms: 8 }) });
    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'try', '--commit', ...ACTOR]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('metric:val_auc.maxDecrease');
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
    expect((await repo.git(['rev-list', '--count', 'HEAD'])).trim()).toBe('1');
  });

  it('--dry-run judges and writes nothing', async () => {
    const repo = await registry();
    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--dry-run', ...ACTOR]);
    expect(r.code).toBe(0);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
  });

  it('usage errors are exit 2: unknown model, unknown version, bad stage with did-you-mean', async () => {
    const repo = await registry();
    expect((await modelgate(repo.dir, ['promote', 'nope', '1', '--to', 'Staging', ...ACTOR])).code).toBe(2);
    expect((await modelgate(repo.dir, ['promote', 'churn-predictor', '9', '--to', 'Staging', ...ACTOR])).code).toBe(2);
    const bad = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'production', ...ACTOR]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Production');
  });

  it('assigns an alias with an alias record', async () => {
    const repo = await registry();
    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', '@challenger', '--reason', 'shadow traffic', '--commit', ...ACTOR]);
    expect(r.code).toBe(0);
    expect(await readFile(join(repo.dir, 'registry/churn-predictor.yaml'), 'utf8')).toMatch(/challenger: 3/);
    const [rec] = await auditLines(repo);
    expect(rec).toMatchObject({ action: 'alias', version: 3, to: '@challenger' });
  });
});

describe('archive and rollback', () => {
  it('archive needs a reason', async () => {
    const repo = await registry();
    const r = await modelgate(repo.dir, ['archive', 'churn-predictor', '3', ...ACTOR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reason');
  });

  it('rollback puts back the previous Production version in one command, recorded as rollback', async () => {
    const repo = await registry();
    expect((await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'ship', '--commit', ...ACTOR])).code).toBe(0);
    const r = await modelgate(repo.dir, ['rollback', 'churn-predictor', '--reason', 'p99 latency spike', '--commit', ...ACTOR]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const manifest = await readFile(join(repo.dir, 'registry/churn-predictor.yaml'), 'utf8');
    expect(manifest).toMatch(/version: 2\n\s+run: runs\/v2.json\n\s+stage: Production/);
    expect(manifest).toMatch(/version: 3\n\s+run: runs\/v3.json\s+# retrained on March data\n\s+stage: Archived/);
    const records = await auditLines(repo);
    const last2 = records.slice(-2).map((x) => [x.version, x.from, x.to, x.action]);
    expect(last2).toContainEqual([2, 'Archived', 'Production', 'rollback']);
    expect((await repo.git(['log', '-1', '--format=%(trailers:key=Modelgate-Transition,valueonly)'])).trim()).toContain('Archived -> Production');
    expect((await modelgate(repo.dir, ['audit', 'verify'])).code).toBe(0);
  });

  it('rollback with nothing earlier to go back to is a clear usage error', async () => {
    const repo = await registry({
      'registry/churn-predictor.yaml': MANIFEST.replace('stage: Archived', 'stage: None').replace(/aliases:\n  champion: 2\n/, ''),
    });
    const r = await modelgate(repo.dir, ['rollback', 'churn-predictor', '--reason', 'x', ...ACTOR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to/);
  });
});

describe('audit trail', () => {
  it('audit verify names a tampered record (exit 1) and promote refuses to build on it', async () => {
    const repo = await registry();
    await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'ship', '--commit', ...ACTOR]);
    const file = join(repo.dir, 'audit/churn-predictor.jsonl');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"actor":"alice"', '"actor":"mallory"'));
    const v = await modelgate(repo.dir, ['audit', 'verify']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/churn-predictor/);
    expect(v.stdout + v.stderr).toMatch(/record 1|seq 1/);
    const p = await modelgate(repo.dir, ['archive', 'churn-predictor', '1', '--reason', 'x', ...ACTOR]);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/audit/);
  });

  it('record that runs out of evaluation time records nothing and exits 3 (a slow S3 must not leave a deny in the log for good)', async () => {
    const repo = await handMadeStageChange();
    const before = await auditLines(repo);
    const slow = await modelgate(repo.dir, ['record', '--commit', ...ACTOR], { MODELGATE_EVAL_TIMEOUT_MS: '1' });
    expect(slow.code, slow.stdout + slow.stderr).toBe(3);
    expect(slow.stderr).toMatch(/took longer than 1 ms: nothing was recorded/);
    expect(await auditLines(repo)).toEqual(before);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
    const rec = await modelgate(repo.dir, ['record', '--commit', ...ACTOR]);
    expect(rec.code, rec.stderr).toBe(0);
    expect((await auditLines(repo)).at(-1)).toMatchObject({ version: 1, from: 'Archived', to: 'Staging' });
  });

  it('a hand-made stage change without a record is reported; record adds it; a second record adds nothing', async () => {
    const repo = await handMadeStageChange();
    const v = await modelgate(repo.dir, ['audit', 'verify']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/without an audit record|no record/);
    // A decision refuses to build on it (v1 has no records of its own: the genesis state says
    // it was Archived) and names the repair.
    const blocked = await modelgate(repo.dir, ['archive', 'churn-predictor', '3', '--reason', 'x', ...ACTOR]);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(/modelgate record/);
    const before = await auditLines(repo);
    const dry = await modelgate(repo.dir, ['record', '--dry-run', ...ACTOR]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run: would record 1 transition; nothing was written/);
    expect(await auditLines(repo)).toEqual(before);
    const rec = await modelgate(repo.dir, ['record', '--commit', ...ACTOR]);
    expect(rec.code).toBe(0);
    const records = await auditLines(repo);
    expect(records.at(-1)).toMatchObject({ version: 1, from: 'Archived', to: 'Staging' });
    // Without GitHub the CLI attributes nothing: the subject's `#42` is anyone's to write.
    expect(records.at(-1)!.source).not.toHaveProperty('pr');
    const again = await modelgate(repo.dir, ['record', '--commit', ...ACTOR]);
    expect(again.code).toBe(0);
    expect((await auditLines(repo)).length).toBe(records.length);
    expect((await modelgate(repo.dir, ['audit', 'verify'])).code).toBe(0);
  });

  it('record without --since leaves changes made before the log was adopted alone (they are its genesis)', async () => {
    const repo = await registry();
    // Before adoption: v1 revived by hand and committed, with no audit trail anywhere yet.
    const manifest = await readFile(join(repo.dir, 'registry/churn-predictor.yaml'), 'utf8');
    await repo.write('registry/churn-predictor.yaml', manifest.replace(/(version: 1\n\s+run: runs\/v1.json\n\s+stage: )Archived/, '$1Staging'));
    await repo.commitAll('revive v1 by hand');
    // Adoption: the first decision writes the log.
    expect((await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'ship', '--commit', ...ACTOR])).code).toBe(0);
    const adopted = await auditLines(repo);
    const rec = await modelgate(repo.dir, ['record', '--commit', ...ACTOR]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(await auditLines(repo)).toEqual(adopted);
    const v = await modelgate(repo.dir, ['audit', 'verify']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    // And the log stays usable: the next decision builds on it.
    expect((await modelgate(repo.dir, ['archive', 'churn-predictor', '1', '--reason', 'retire', '--commit', ...ACTOR])).code).toBe(0);
  });

  it('audit prints the history (json)', async () => {
    const repo = await registry();
    await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'ship', '--commit', ...ACTOR]);
    const r = await modelgate(repo.dir, ['audit', 'churn-predictor', '--format', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { version: number }[];
    expect(list.map((x) => x.version)).toEqual([3, 2]);
  });

  it('a promote killed between its two writes leaves a state verify reports and the next command refuses', async () => {
    const repo = await registry();
    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'ship', ...ACTOR], { MODELGATE_TEST_CRASH_AFTER_WRITES: '1' });
    expect(r.code).not.toBe(0);
    // Either nothing was written, or the log has records the manifest does not show.
    const status = (await repo.git(['status', '--porcelain'])).trim();
    if (status !== '') {
      const v = await modelgate(repo.dir, ['audit', 'verify']);
      expect(v.code).toBe(1);
      const next = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'again', ...ACTOR]);
      expect(next.code).toBe(2);
      expect(next.stderr).toMatch(/audit/);
    }
    // No temp files left behind as if they were real files.
    const ls = (await repo.git(['status', '--porcelain', '--untracked-files=all'])).split('\n').filter((l) => l.includes('.tmp'));
    expect(ls).toEqual([]);
  });
});

describe('register, resolve, status, validate', () => {
  it('register adds the next version at stage None with a digest of its local artifact', async () => {
    const repo = await registry();
    await repo.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.89, latency_p99_ms: 6 }));
    await repo.write('models/v4/model.bin', 'weights v4\n');
    await repo.write('models/v4/MLmodel', 'flavors: {}\n');
    const r = await modelgate(repo.dir, ['register', 'churn-predictor', '--run', 'runs/v4.json', '--artifact', 'models/v4', '--commit', ...ACTOR]);
    expect(r.code).toBe(0);
    const manifest = await readFile(join(repo.dir, 'registry/churn-predictor.yaml'), 'utf8');
    const lines = ['MLmodel', 'model.bin'].map((f) => `${createHash('sha256').update(f === 'MLmodel' ? 'flavors: {}\n' : 'weights v4\n').digest('hex')}  ${f}\n`).join('');
    const digest = 'sha256:' + createHash('sha256').update(lines).digest('hex');
    expect(manifest).toContain('version: 4');
    expect(manifest).toContain(digest);
    const [rec] = await auditLines(repo);
    expect(rec).toMatchObject({ action: 'register', version: 4, to: 'None' });
  });

  it('register refuses a run outside the repository (exit 2)', async () => {
    const repo = await registry();
    const r = await modelgate(repo.dir, ['register', 'churn-predictor', '--run', '../outside.json', ...ACTOR]);
    expect(r.code).toBe(2);
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
  });

  it('resolve prints the artifact and digest; unknown alias is exit 2', async () => {
    const repo = await registry({
      'registry/churn-predictor.yaml': MANIFEST.replace('run: runs/v2.json', `run: runs/v2.json\n    artifact: s3://ml-models/churn/2/\n    digest: sha256:${'a'.repeat(64)}`),
    });
    const r = await modelgate(repo.dir, ['resolve', 'models:/churn-predictor@champion', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 2, artifact: 's3://ml-models/churn/2/', digest: `sha256:${'a'.repeat(64)}` });
    const text = await modelgate(repo.dir, ['resolve', 'models:/churn-predictor/Production']);
    expect(text.stdout).toContain('s3://ml-models/churn/2/');
    expect((await modelgate(repo.dir, ['resolve', 'models:/churn-predictor@nope'])).code).toBe(2);
    expect((await modelgate(repo.dir, ['resolve', 'models:/nope/1'])).code).toBe(2);
  });

  it('status shows stages, aliases and metrics, the ones policies judge first', async () => {
    const repo = await registry({ 'runs/v2.json': runRecord('run-v2', { aaa_loss: 0.1, abc_rows: 9, val_auc: 0.874, latency_p99_ms: 7.9 }) });
    const r = await modelgate(repo.dir, ['status', '--format', 'json']);
    expect(r.code).toBe(0);
    const [view] = JSON.parse(r.stdout) as { model: string; versions: { version: number; stage: string; metrics?: Record<string, number> }[] }[];
    expect(view!.model).toBe('churn-predictor');
    const prod = view!.versions.find((v) => v.version === 2)!;
    expect(prod.stage).toBe('Production');
    expect(Object.keys(prod.metrics!)).toEqual(['val_auc', 'latency_p99_ms', 'aaa_loss']);
    const text = await modelgate(repo.dir, ['status']);
    expect(text.stdout).toContain('Production');
  });

  it('validate: ok, then two Production versions are an error with the line (exit 2)', async () => {
    const repo = await registry();
    expect((await modelgate(repo.dir, ['validate'])).code).toBe(0);
    await repo.write('registry/churn-predictor.yaml', MANIFEST.replace('stage: Staging', 'stage: Production'));
    const r = await modelgate(repo.dir, ['validate']);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/registry\/churn-predictor\.yaml:1[0-9]/);
  });

  it('--version and --help', async () => {
    const repo = await registry();
    const v = await modelgate(repo.dir, ['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const c of ['validate', 'check', 'promote', 'rollback', 'record', 'audit', 'resolve', 'status', 'register', 'archive']) {
      const h = await modelgate(repo.dir, [c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain(c);
    }
  });
});
