/**
 * Evidence digests (SPEC section 6) end to end through the CLI: `pin` writes them (computed here
 * independently with sha256sum's rule), `register` writes them, `check` judges `run.evidence`
 * and allows a pin-only pull request, and `audit verify` names each version whose evidence
 * changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { BASE_FILES } from '../helpers/registry';
import type { TestRepo } from '../helpers/git';
import { resettableRepo } from './fixture';
import { makeHardeningRegistry } from '../hardening/fixtures/registry';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** SPEC section 6 by hand: meta.yaml, params/, tags/, metrics/ and the model's MLmodel, as sha256sum lists them. */
async function mlflowEvidence(runDir: string, mlmodel: string): Promise<string> {
  const files: string[] = ['meta.yaml', mlmodel];
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdir(join(runDir, rel)).catch(() => [] as string[])) {
      const p = `${rel}/${name}`;
      if ((await stat(join(runDir, p))).isDirectory()) await walk(p);
      else files.push(p);
    }
  };
  for (const d of ['params', 'tags', 'metrics']) await walk(d);
  files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let listing = '';
  for (const f of files) listing += `${sha(await readFile(join(runDir, f)))}  ${f}\n`;
  return `sha256:${sha(listing)}`;
}

const fixture = resettableRepo(() => makeHardeningRegistry());
let repo: TestRepo;
let start: string;
beforeAll(() => {
  ({ repo, start } = fixture);
});

const read = (p: string) => readFile(join(repo.dir, p), 'utf8');

describe('pin', () => {
  it('writes evidence for every version lacking it, by the spec rule, touching only added lines; --commit commits the manifests', async () => {
    const before = await read('registry/churn-predictor.yaml');
    const r = await modelgate(repo.dir, ['pin', '--commit']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pinned 7 versions \(commit [0-9a-f]{12}\)/);
    const churn = await read('registry/churn-predictor.yaml');
    const v2 = `sha256:${sha(BASE_FILES['runs/v2.json']!)}`;
    expect(churn).toContain(`    run: runs/v2.json\n    evidence: ${v2}\n    stage: Production     # current champion`);
    // Only lines were added: every original line is still there, in order, comments included.
    const kept = churn.split('\n').filter((l) => !l.trim().startsWith('evidence:'));
    expect(kept.join('\n')).toBe(before);
    const mlf = await read('registry/mlf-model.yaml');
    expect(mlf).toContain(`evidence: ${await mlflowEvidence(join(repo.dir, 'mlruns/1/run2'), 'artifacts/model/MLmodel')}`);
    const changed = (await repo.git(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n').sort();
    expect(changed).toEqual(['registry/churn-predictor.yaml', 'registry/mlf-model.yaml', 'registry/wb-model.yaml']);
    // Again: nothing to do.
    const again = await modelgate(repo.dir, ['pin']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to do/);
  });

  it('--dry-run shows the digests and writes nothing; one model only when named', async () => {
    const r = await modelgate(repo.dir, ['pin', 'wb-model', '--dry-run', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { pinned: { model: string }[]; written: boolean };
    expect(out.written).toBe(false);
    expect(new Set(out.pinned.map((p) => p.model))).toEqual(new Set(['wb-model']));
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
  });

  it('a pin-only change is allowed by check (working tree and committed), and audit verify agrees', async () => {
    expect((await modelgate(repo.dir, ['pin'])).code).toBe(0);
    const wt = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(wt.code, wt.stdout).toBe(0);
    await repo.commitAll('pin evidence');
    const committed = await modelgate(repo.dir, ['check', '--base', start, '--head', 'HEAD', '--format', 'json']);
    expect(committed.code, committed.stdout).toBe(0);
    expect(committed.stdout).not.toContain('version.immutable');
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});

describe('run.evidence and audit verify', () => {
  async function pinned(): Promise<void> {
    expect((await modelgate(repo.dir, ['pin', '--commit'])).code).toBe(0);
  }

  it('a run file changed after pinning (committed around the gate): audit verify names the version; promoting it is denied by run.evidence', async () => {
    await pinned();
    await appendFile(join(repo.dir, 'mlruns/1/run2/metrics/val_auc'), '1799999999999 0.999 99\n');
    await repo.commitAll('edit a registered run without a pull request');
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout + verify.stderr).toMatch(/mlf-model.*v2: its evidence changed/s);
    expect(verify.stdout + verify.stderr).not.toMatch(/mlf-model.*v1: its evidence changed/s);
    // The PR that promotes it now: run.evidence fails (the base files no longer match the pin).
    const path = join(repo.dir, 'registry/mlf-model.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('stage: Production', 'stage: Archived').replace('stage: Staging', 'stage: Production'));
    const c = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(c.code).toBe(1);
    const v2 = (JSON.parse(c.stdout) as { transitions: { model: string; version: number; checks: { id: string; status: string; message: string }[] }[] }).transitions.find(
      (t) => t.model === 'mlf-model' && t.version === 2,
    )!;
    expect(v2.checks.find((x) => x.id === 'run.evidence')).toMatchObject({ status: 'fail' });
    // Archiving v1 needs no evidence check.
    const v1 = (JSON.parse(c.stdout) as { transitions: { model: string; version: number; checks: { id: string }[] }[] }).transitions.find((t) => t.model === 'mlf-model' && t.version === 1)!;
    expect(v1.checks.some((x) => x.id === 'run.evidence')).toBe(false);
  });

  it('evidence that matches: run.evidence passes on promotion', async () => {
    await pinned();
    const path = join(repo.dir, 'registry/wb-model.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('stage: Production', 'stage: Archived').replace('stage: Staging', 'stage: Production'));
    const c = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(c.code, c.stdout).toBe(0);
    expect(c.stdout).toMatch(/"id":"run\.evidence","status":"pass"/);
  });

  it('register writes the evidence digest of the run it adds (and its record carries it)', async () => {
    const r = await modelgate(repo.dir, ['register', 'mlf-model', '--run', 'mlruns/1/run2', '--actor', 'alice', '--commit']);
    expect(r.code, r.stderr).toBe(0);
    const want = await mlflowEvidence(join(repo.dir, 'mlruns/1/run2'), 'artifacts/model/MLmodel');
    expect(await read('registry/mlf-model.yaml')).toMatch(new RegExp(`- version: 3\\n    run: mlruns/1/run2\\n    artifact: [^\\n]+\\n    digest: sha256:[0-9a-f]{64}\\n    evidence: ${want}\\n    stage: None`));
    const record = JSON.parse((await read('audit/mlf-model.jsonl')).trim().split('\n').pop()!) as { evidence?: { digest?: string } };
    expect(record.evidence?.digest).toBe(want);
  });
});
