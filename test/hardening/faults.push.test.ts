/**
 * Faults on the way to the remote (issue 8, item 6): a push rejected N times because the branch
 * really moved (a competitor pushes just before each of our pushes), and SIGKILL around the
 * push. After each: the chain verifies on a fresh clone, nothing is reported as allowed when
 * the run gives up, and the local checkout is left where the message says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate, type RunResult } from '../helpers/cli';
import { clone, makeBareRemote, type BareRemote, type TestRepo } from '../helpers/git';
import { startGitHttpServer } from '../helpers/gitHttp';
import { makeRegistry } from '../helpers/registry';
import { backoffMs } from '../../src/publish/publisher';

const TOKEN = 'ghs_fau1tsT0ken';
const MODEL = 'churn-predictor';
const ACTOR = ['--actor', 'alice'];
// A fixed, short back-off slot: these tests are about outcomes, not about waiting.
const FAST = { MODELGATE_RETRY_BASE_MS: '20' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

interface World {
  remote: BareRemote;
  url: string;
  ours: TestRepo;
  /** The competitor's clone (the racing hook pushes from it and counts in its .git). */
  race: string;
}

/**
 * A remote over HTTP, our clone of it, and a pre-push hook in our clone that — for the first
 * `$MGTEST_RACE_N` pushes — has a competitor commit and push to the remote first: each of our
 * pushes then finds the branch moved (a real race, not a simulated rejection).
 */
async function world(): Promise<World> {
  const remote = await makeBareRemote();
  const server = await startGitHttpServer({ root: remote.root, token: TOKEN });
  cleanups.push(async () => {
    await server.stop();
    await remote.cleanup();
  });
  const seed = await makeRegistry();
  cleanups.push(seed.cleanup);
  await seed.git(['push', '-q', remote.dir, 'main']);
  const url = server.url(remote.name, TOKEN);
  const ours = await clone(url);
  cleanups.push(ours.cleanup);
  const competitor = await clone(remote.dir);
  cleanups.push(competitor.cleanup);
  const hook = join(ours.dir, '.git', 'hooks', 'pre-push');
  await writeFile(hook, RACING_HOOK);
  await chmod(hook, 0o755);
  return { remote, url, ours, race: competitor.dir };
}

/** Test-only pre-push hook: the first N pushes lose a race against a competitor's push. */
const RACING_HOOK = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const dir = process.env.MGTEST_RACE;
const n = Number(process.env.MGTEST_RACE_N || 0);
if (dir) {
  const counter = path.join(dir, '.git', 'race-count');
  const count = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;
  fs.writeFileSync(counter, String(count));
  if (count <= n) {
    // git sets GIT_DIR and friends for hooks: the competitor is another repository.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^GIT_(DIR|WORK_TREE|INDEX_FILE|PREFIX|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|QUARANTINE_PATH)$/.test(k)));
    const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
    git('pull', '-q', '--ff-only', 'origin', 'main');
    fs.mkdirSync(path.join(dir, 'notes'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'notes', count + '.txt'), 'competing change ' + count + '\\n');
    git('add', 'notes');
    git('-c', 'user.name=Competitor', '-c', 'user.email=c@example.com', 'commit', '-q', '-m', 'competing change ' + count);
    git('push', '-q', 'origin', 'HEAD:main');
  }
}
`;

const promote = (w: World, racing: number, env: Record<string, string> = {}): Promise<RunResult> =>
  modelgate(w.ours.dir, ['promote', MODEL, '3', '--to', 'Production', '--reason', 'ship', '--push', ...ACTOR], {
    ...FAST,
    MGTEST_RACE: w.race,
    MGTEST_RACE_N: String(racing),
    ...env,
  });

const remoteTip = async (w: World) => (await w.remote.git(['rev-parse', 'main'])).trim();
const subjects = async (w: World) => (await w.remote.git(['log', '--format=%s', 'main'])).trim().split('\n');

async function verifiedFreshClone(w: World): Promise<TestRepo> {
  const fresh = await clone(w.url);
  cleanups.push(fresh.cleanup);
  const v = await modelgate(fresh.dir, ['audit', 'verify']);
  expect(v.code, v.stdout + v.stderr).toBe(0);
  expect(await fresh.git(['rev-list', '--merges', 'HEAD'])).toBe('');
  return fresh;
}

describe('push rejected because the branch kept moving', () => {
  it('rejected twice: judged again on each new tip, lands on the third attempt', async () => {
    const w = await world();
    const r = await promote(w, 2);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr.match(/push rejected: main moved/g)).toHaveLength(2);
    expect(r.stderr).toContain('attempt 3 of 5');
    expect(r.stdout).toMatch(/recorded: churn-predictor v3 Staging -> Production/);
    // Ours on top of both competing commits, nothing merged, the chain whole.
    expect(await subjects(w)).toEqual(['modelgate: promote churn-predictor v3 Staging -> Production', 'competing change 2', 'competing change 1', 'registry: initial state']);
    const fresh = await verifiedFreshClone(w);
    const recs = (await readFile(join(fresh.dir, 'audit', `${MODEL}.jsonl`), 'utf8')).trim().split('\n');
    expect(recs).toHaveLength(2); // promote v3 + archive v2, once
    expect(await readFile(join(fresh.dir, 'notes', '2.txt'), 'utf8')).toBe('competing change 2\n');
  }, 60_000);

  it('rejected five times: exit 3 "gave up after 5 attempts", nothing reported as allowed, checkout at the new tip', async () => {
    const w = await world();
    const r = await promote(w, 5);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/error: gave up after 5 attempts: main kept moving/);
    expect(r.stderr).toMatch(/nothing was pushed/);
    expect(r.stderr.match(/push rejected: main moved/g)).toHaveLength(4);
    // Nothing is reported as done or allowed.
    expect(r.stdout).not.toMatch(/recorded:|ALLOW|allowed/);
    expect((await subjects(w)).filter((s) => s.startsWith('modelgate:'))).toEqual([]);
    expect((await w.ours.git(['rev-parse', 'HEAD'])).trim()).toBe(await remoteTip(w));
    expect((await w.ours.git(['status', '--porcelain', '--untracked-files=all'])).trim()).toBe('');
    await verifiedFreshClone(w);
    // And a re-run, once the branch is quiet, lands.
    const again = await promote(w, 0);
    expect(again.code, again.stderr).toBe(0);
    await verifiedFreshClone(w);
  }, 90_000);
});

describe('SIGKILL around the push', () => {
  it('killed after committing, before pushing: the next --push refuses (exit 2) and says how to repair; git push repairs it', async () => {
    const w = await world();
    const before = await remoteTip(w);
    const killed = await promote(w, 0, { MODELGATE_TEST_CRASH_AT: 'before-push' });
    expect(killed.code).toBe(3); // the killed command's CLI reports exit 3 (cli/supervise.ts; was 128)
    expect(await remoteTip(w)).toBe(before); // nothing reached the remote
    // Locally the decision is whole and committed: verify passes.
    expect((await modelgate(w.ours.dir, ['audit', 'verify'])).code).toBe(0);
    const next = await modelgate(w.ours.dir, ['promote', MODEL, '1', '--to', '@previous', '--reason', 'x', '--push', ...ACTOR], FAST);
    expect(next.code).toBe(2);
    expect(next.stderr).toMatch(/your branch has 1 commit not on origin\/main/);
    expect(next.stderr).toMatch(/git push, or git reset --keep origin\/main/);
    await w.ours.git(['push', '-q', 'origin', 'main']);
    const fresh = await verifiedFreshClone(w);
    expect(await readFile(join(fresh.dir, 'registry', `${MODEL}.yaml`), 'utf8')).toMatch(/version: 3\n.*\n\s+stage: Production/);
  }, 60_000);

  it('killed just after a rejected push: our commit is already dropped; a re-run lands on the new tip', async () => {
    const w = await world();
    const killed = await promote(w, 1, { MODELGATE_TEST_CRASH_AT: 'push-rejected' });
    expect(killed.code).toBe(3); // the killed command's CLI reports exit 3 (cli/supervise.ts; was 128)
    expect((await subjects(w)).filter((s) => s.startsWith('modelgate:'))).toEqual([]);
    expect((await w.ours.git(['status', '--porcelain', '--untracked-files=all'])).trim()).toBe('');
    expect(Number((await w.ours.git(['rev-list', '--count', 'origin/main..HEAD'])).trim())).toBe(0); // no unpushed commit
    const again = await promote(w, 0);
    expect(again.code, again.stderr).toBe(0);
    expect((await subjects(w))[0]).toBe('modelgate: promote churn-predictor v3 Staging -> Production');
    await verifiedFreshClone(w);
  }, 60_000);
});

describe('back-off between attempts', () => {
  it('grows with the attempt, in slots as long as the last attempt took (at least 250 ms), with full jitter', () => {
    delete process.env.MODELGATE_RETRY_BASE_MS;
    const max = (attempt: number, lastMs: number) => backoffMs(attempt, lastMs, () => 1);
    expect([1, 2, 3, 4].map((a) => max(a, 2000))).toEqual([2000, 6000, 14000, 30000]);
    expect(max(1, 10)).toBe(250); // a fast attempt still waits up to one minimal slot
    expect(backoffMs(4, 2000, () => 0)).toBe(0); // full jitter: anywhere from zero
    expect(max(4, 10_000)).toBe(60_000); // capped
  });
});
