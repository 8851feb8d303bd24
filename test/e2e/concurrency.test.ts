/**
 * Concurrent `--push` decisions (issue 4): clones of one bare remote, served over HTTP with a
 * token, decide at the same moment. Every run lands (exit 0) or refuses with a reason after
 * judging again on the tip that beat it (exit 1) — never a textual merge of the audit log —
 * and a fresh clone's `audit verify` passes, with one unbroken chain per model, a linear
 * history, and each landed decision recorded exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelgate, type RunResult } from '../helpers/cli';
import { clone, makeBareRemote, type BareRemote, type TestRepo } from '../helpers/git';
import { startGitHttpServer, type GitHttpServer } from '../helpers/gitHttp';
import { makeRegistry, MANIFEST, runRecord } from '../helpers/registry';

const TOKEN = 'ghs_c0ncurrencyT0ken';
const MODEL = 'churn-predictor';
const LITE = 'churn-lite';

/**
 * v4 (val_auc 0.870) beats the champion v2 (0.874) within the policy's maxDecrease of 0.005,
 * but not v3 (0.882): whether v4 may enter Production depends on who holds it.
 */
const FILES = {
  [`registry/${MODEL}.yaml`]: MANIFEST.replace('aliases:', '  - version: 4\n    run: runs/v4.json\n    stage: Staging\naliases:'),
  'runs/v4.json': runRecord('run-v4', { val_auc: 0.87, latency_p99_ms: 7.5 }),
  [`registry/${LITE}.yaml`]: MANIFEST.replace(`name: ${MODEL}`, `name: ${LITE}`),
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

interface World {
  remote: BareRemote;
  url: string;
  clones: TestRepo[];
}

/** A bare remote served over HTTP (token auth), seeded with the registry, and `n` clones of it. */
async function world(n: number): Promise<World> {
  const remote = await makeBareRemote();
  const server: GitHttpServer = await startGitHttpServer({ root: remote.root, token: TOKEN });
  cleanups.push(async () => {
    await server.stop();
    await remote.cleanup();
  });
  const seed = await makeRegistry(FILES);
  cleanups.push(seed.cleanup);
  await seed.git(['push', '-q', remote.dir, 'main']);
  const url = server.url(remote.name, TOKEN);
  const clones = await Promise.all(Array.from({ length: n }, () => clone(url)));
  for (const c of clones) cleanups.push(c.cleanup);
  return { remote, url, clones };
}

const ACTOR = ['--actor', 'alice'];
const promote = (repo: TestRepo, model: string, version: number, to: string, env: Record<string, string> = {}): Promise<RunResult> =>
  modelgate(repo.dir, ['promote', model, String(version), '--to', to, '--reason', `${to} v${version}`, '--push', ...ACTOR], env);

interface Rec {
  seq: number;
  version: number;
  from: string | null;
  to: string;
  prev: string;
  hash: string;
}

async function records(repo: TestRepo, model: string): Promise<Rec[]> {
  const text = await readFile(join(repo.dir, 'audit', `${model}.jsonl`), 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);
}

/** A fresh clone: verify passes, chains run 1..n, history is linear; returns it. */
async function freshAndVerified(w: World): Promise<TestRepo> {
  const fresh = await clone(w.url);
  cleanups.push(fresh.cleanup);
  const v = await modelgate(fresh.dir, ['audit', 'verify']);
  expect(v.code, v.stdout + v.stderr).toBe(0);
  for (const m of [MODEL, LITE]) {
    const recs = await records(fresh, m);
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => i + 1));
    recs.forEach((r, i) => i > 0 && expect(r.prev).toBe(recs[i - 1]!.hash));
  }
  expect(await fresh.git(['rev-list', '--merges', 'HEAD'])).toBe('');
  return fresh;
}

/** Exit 0 (landed) or 1 (refused with the failing check named); 3 only when the retries ran out. */
function expectLandedOrRefused(r: RunResult): void {
  expect([0, 1, 3], r.stdout + r.stderr).toContain(r.code);
  if (r.code === 1) expect(r.stdout).toMatch(/✗|DENY|deny/);
  if (r.code === 1) expect(r.stdout).toContain('denied: nothing was written');
  if (r.code === 3) expect(r.stderr).toMatch(/gave up after 5 attempts/);
}

async function isClean(repo: TestRepo): Promise<boolean> {
  return (await repo.git(['status', '--porcelain', '--untracked-files=all'])).trim() === '';
}

describe('concurrent --push decisions', () => {
  it('three clones decide at once (two aliases of one model, a promotion of another): all land on one chain', async () => {
    const w = await world(3);
    const [a, b, c] = w.clones as [TestRepo, TestRepo, TestRepo];
    const runs = await Promise.all([promote(a, MODEL, 3, '@challenger'), promote(b, MODEL, 2, '@stable'), promote(c, LITE, 3, 'Production')]);
    runs.forEach(expectLandedOrRefused);
    // None of these can be refused on re-evaluation: each is allowed on any tip.
    expect(runs.map((r) => r.code).filter((x) => x === 1)).toEqual([]);

    const fresh = await freshAndVerified(w);
    const main = await records(fresh, MODEL);
    const lite = await records(fresh, LITE);
    const landed = runs.map((r) => r.code === 0);
    expect(main.filter((r) => r.to === '@challenger' && r.version === 3)).toHaveLength(landed[0] ? 1 : 0);
    expect(main.filter((r) => r.to === '@stable' && r.version === 2)).toHaveLength(landed[1] ? 1 : 0);
    expect(lite.filter((r) => r.to === 'Production' && r.version === 3)).toHaveLength(landed[2] ? 1 : 0);
    const commits = Number((await fresh.git(['rev-list', '--count', 'HEAD'])).trim());
    expect(commits).toBe(1 + landed.filter(Boolean).length);
    // Each landed run said which commit it pushed, and it is on the remote.
    for (const r of runs.filter((x) => x.code === 0)) {
      const sha = /commit ([0-9a-f]{12})/.exec(r.stdout)?.[1];
      expect(sha, r.stdout).toBeDefined();
      expect((await fresh.git(['cat-file', '-t', sha!])).trim()).toBe('commit');
    }
    for (const repo of w.clones) expect(await isClean(repo)).toBe(true);
  }, 60_000);

  it('two clones promote different versions to Production at once: the second is judged again on the first one’s tip', async () => {
    const w = await world(2);
    const [a, b] = w.clones as [TestRepo, TestRepo];
    const [ra, rb] = await Promise.all([promote(a, MODEL, 3, 'Production'), promote(b, MODEL, 4, 'Production')]);
    expectLandedOrRefused(ra);
    expectLandedOrRefused(rb);
    const fresh = await freshAndVerified(w);
    const recs = await records(fresh, MODEL);
    const production = (await readFile(join(fresh.dir, 'registry', `${MODEL}.yaml`), 'utf8')).match(/version: (\d)\n\s+run: \S+(?:\s+#[^\n]*)?\n\s+stage: Production/g) ?? [];
    expect(production).toHaveLength(1); // one Production version, whatever the order
    if (ra.code === 0 && rb.code === 1) {
      // v3 landed first; v4 does not beat v3 and is refused, naming the check.
      expect(rb.stdout).toContain('metric:val_auc.maxDecrease');
      expect(recs.filter((r) => r.version === 4)).toEqual([]);
    } else {
      // v4 landed first (it beats v2); v3 beats v4 and lands on top of it.
      expect([ra.code, rb.code]).toEqual([0, 0]);
      expect(recs.filter((r) => r.to === 'Production').map((r) => r.version)).toEqual([4, 3]);
    }
  }, 60_000);

  it('a promotion allowed on the old tip but not on the new one is refused (exit 1) after judging again', async () => {
    const w = await world(2);
    const [a, b] = w.clones as [TestRepo, TestRepo];
    // B's first push waits at a barrier (its own pre-push hook) until A has landed v3.
    const barrier = await mkdtemp(join(tmpdir(), 'mg-barrier-'));
    cleanups.push(() => rm(barrier, { recursive: true, force: true }));
    const hook = join(b.dir, '.git', 'hooks', 'pre-push');
    await writeFile(hook, BARRIER_HOOK);
    await chmod(hook, 0o755);

    const pendingB = promote(b, MODEL, 4, 'Production', { MGTEST_BARRIER: barrier });
    await waitFor(join(barrier, 'waiting'), 40_000);
    // B judged v4 against v2 (allowed), committed, and is pushing: now A lands v3.
    const ra = await promote(a, MODEL, 3, 'Production');
    expect(ra.code, ra.stderr).toBe(0);
    await writeFile(join(barrier, 'released'), '');
    const rb = await pendingB;

    expect(rb.code, rb.stdout + rb.stderr).toBe(1);
    expect(rb.stderr).toMatch(/push rejected: main moved; judging again on the new tip/);
    expect(rb.stdout).toMatch(/metric:val_auc\.maxDecrease/);
    expect(rb.stdout).toContain('denied: nothing was written');
    // B's clone is at the new tip, clean; nothing of B's reached the remote.
    expect((await b.git(['rev-parse', 'HEAD'])).trim()).toBe((await w.remote.git(['rev-parse', 'main'])).trim());
    expect(await isClean(b)).toBe(true);
    const fresh = await freshAndVerified(w);
    const recs = await records(fresh, MODEL);
    expect(recs.map((r) => [r.version, r.from, r.to])).toEqual([
      [3, 'Staging', 'Production'],
      [2, 'Production', 'Archived'],
    ]);
  }, 90_000);
});

/** A pre-push hook (test-only): the first push waits until `$MGTEST_BARRIER/released` exists. */
const BARRIER_HOOK = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.MGTEST_BARRIER;
if (dir && !fs.existsSync(path.join(dir, 'released'))) {
  fs.writeFileSync(path.join(dir, 'waiting'), String(process.pid));
  const until = Date.now() + 60000;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(path.join(dir, 'released'))) {
    if (Date.now() > until) process.exit(1);
    Atomics.wait(cell, 0, 0, 50);
  }
}
`;

async function waitFor(file: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await stat(file).then(() => true, () => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${file}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
