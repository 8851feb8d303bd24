import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError, InputError } from '../../src/errors';
import { headSha } from '../../src/git/history';
import { gitPublisher } from '../../src/publish/git';
import { publishWithRetry, type Attempt } from '../../src/publish/publisher';
import { clone, makeBareRemote, makeRepo, type BareRemote, type TestRepo } from '../helpers/git';
import { startGitHttpServer, type GitHttpServer } from '../helpers/gitHttp';

const TOKEN = 'ghs_pushT0kenSecret';
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  process.env.MODELGATE_RETRY_BASE_MS = '1';
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

interface World {
  remote: BareRemote;
  server: GitHttpServer;
  /** Our checkout, cloned over HTTP with the token. */
  ours: TestRepo;
  /** Someone else's checkout (pushes straight to the bare repository). */
  other: TestRepo;
}

async function world(opts: { anonymousRead?: boolean } = {}): Promise<World> {
  const remote = await makeBareRemote();
  const server = await startGitHttpServer({ root: remote.root, token: TOKEN, ...opts });
  const seed = await makeRepo({ 'registry/churn.yaml': 'stage: Staging\n' });
  await seed.git(['push', '-q', remote.dir, 'main']);
  const ours = await clone(server.url(remote.name, TOKEN));
  const other = await clone(remote.dir);
  cleanups.push(server.stop, remote.cleanup, seed.cleanup, ours.cleanup, other.cleanup);
  return { remote, server, ours, other };
}

async function otherPushes(w: World, name: string): Promise<string> {
  await w.other.git(['pull', '-q', '--ff-only']);
  await w.other.write(`${name}.txt`, `${name}\n`);
  const sha = await w.other.commitAll(name);
  await w.other.git(['push', '-q', 'origin', 'main']);
  return sha;
}

/** The git publisher under the one retry loop, as `--push` runs it. */
function pushWithRetry(dir: string, o: { branch: string; apply: () => Promise<Attempt<undefined>> }) {
  return publishWithRetry(dir, gitPublisher(dir, o.branch), o.apply);
}

/** An apply() that records the tip it ran on and writes one file saying what it saw, the change to commit. */
function recordingApply(repo: TestRepo, before?: (call: number) => Promise<unknown>) {
  const seen: string[] = [];
  const apply = async (): Promise<Attempt<undefined>> => {
    seen.push(await headSha(repo.dir));
    await before?.(seen.length);
    await repo.write('audit/churn.jsonl', `decided on ${seen[seen.length - 1]}\n`);
    return { result: undefined, change: { files: ['audit/churn.jsonl'], message: 'modelgate: promote churn v1', writes: [] } };
  };
  return { seen, apply };
}

const remoteTip = async (w: World) => (await w.remote.git(['rev-parse', 'main'])).trim();

describe('publishing with git: gitPublisher under publishWithRetry', () => {
  it('pushes the commit apply() made', async () => {
    const w = await world();
    const { seen, apply } = recordingApply(w.ours);
    await pushWithRetry(w.ours.dir, { branch: 'main', apply });
    expect(seen).toHaveLength(1);
    expect(await remoteTip(w)).toBe(await headSha(w.ours.dir));
  });

  it('first catches up with a remote that moved before we started, and pushes nothing when apply() does not commit', async () => {
    const w = await world();
    const theirs = await otherPushes(w, 'early');
    let ranOn = '';
    await pushWithRetry(w.ours.dir, {
      branch: 'main',
      apply: async () => {
        ranOn = await headSha(w.ours.dir);
        return { result: undefined };
      },
    });
    expect(ranOn).toBe(theirs);
    expect(await remoteTip(w)).toBe(theirs);
  });

  it('re-applies on the new tip when the remote moved meanwhile: both commits land, history stays linear', async () => {
    const w = await world();
    let theirs = '';
    const { seen, apply } = recordingApply(w.ours, async (call) => {
      if (call === 1) theirs = await otherPushes(w, 'concurrent');
    });
    await pushWithRetry(w.ours.dir, { branch: 'main', apply });

    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(theirs); // judged again on their tip
    expect((await w.remote.git(['rev-list', '--count', 'main'])).trim()).toBe('3');
    expect(await w.remote.git(['rev-list', '--merges', 'main'])).toBe(''); // linear: no merge commits
    expect((await w.remote.git(['rev-parse', 'main^'])).trim()).toBe(theirs);
    expect(await w.remote.git(['show', 'main:audit/churn.jsonl'])).toBe(`decided on ${theirs}\n`);
    expect(await w.remote.git(['show', 'main:concurrent.txt'])).toBe('concurrent\n');
  });

  it("works the same from a shallow clone (actions/checkout's default fetch-depth: 1)", async () => {
    const w = await world();
    await otherPushes(w, 'history');
    const shallow = await clone(w.server.url(w.remote.name, TOKEN), { depth: 1 });
    cleanups.push(shallow.cleanup);
    expect((await shallow.git(['rev-parse', '--is-shallow-repository'])).trim()).toBe('true');
    let theirs = '';
    const { seen, apply } = recordingApply(shallow, async (call) => {
      if (call === 1) theirs = await otherPushes(w, 'concurrent');
    });
    await pushWithRetry(shallow.dir, { branch: 'main', apply });
    expect(seen[1]).toBe(theirs);
    expect((await w.remote.git(['rev-parse', 'main^'])).trim()).toBe(theirs);
  });

  it('gives up after 5 attempts when the remote moves every time, leaving the checkout at the new tip', async () => {
    const w = await world();
    const { seen, apply } = recordingApply(w.ours, (call) => otherPushes(w, `race${call}`));
    const err = await pushWithRetry(w.ours.dir, { branch: 'main', apply }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toBe('gave up after 5 attempts: main kept moving; re-run (use a concurrency group in CI)');
    expect(seen).toHaveLength(5);
    expect(await headSha(w.ours.dir)).toBe(await remoteTip(w)); // our commit dropped, nothing of theirs lost
    expect(existsSync(join(w.ours.dir, 'race5.txt'))).toBe(true);
    expect((await w.remote.git(['log', '--format=%s', 'main'])).split('\n')).not.toContain('modelgate: promote churn v1');
  });

  it('fails with an environment error, never showing the token, when the credentials are refused', async () => {
    const w = await world({ anonymousRead: true });
    const wrong = `wrong-${TOKEN}`;
    await w.ours.git(['remote', 'set-url', 'origin', w.server.url(w.remote.name, wrong)]);
    const err = await pushWithRetry(w.ours.dir, { branch: 'main', apply: recordingApply(w.ours).apply }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    const shown = `${(err as EnvironmentError).message}\n${(err as EnvironmentError).hint}`;
    expect(shown).toMatch(/git push to origin\/main failed: .*Authentication failed/);
    expect(shown).toMatch(/contents: write/);
    expect(shown).not.toContain(TOKEN);

    // Without anonymous reads it is the first fetch that fails, with the same care.
    const w2 = await world();
    await w2.ours.git(['remote', 'set-url', 'origin', w2.server.url(w2.remote.name, wrong)]);
    const err2 = await pushWithRetry(w2.ours.dir, { branch: 'main', apply: recordingApply(w2.ours).apply }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(EnvironmentError);
    expect(`${(err2 as EnvironmentError).message}${(err2 as EnvironmentError).hint}`).not.toContain(TOKEN);
  });

  it('does not retry when a server hook refuses the push (a protected branch)', async () => {
    const w = await world();
    const hook = join(w.remote.dir, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "main is a protected branch" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    const { seen, apply } = recordingApply(w.ours);
    const err = await pushWithRetry(w.ours.dir, { branch: 'main', apply }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toMatch(/main is a protected branch/);
    expect((err as EnvironmentError).hint).toMatch(/refused the push/);
    expect(seen).toHaveLength(1);
  });

  it("refuses to start when the local branch has commits the remote lacks, before applying anything", async () => {
    const w = await world();
    await w.ours.write('mine.txt', 'unpushed\n');
    await w.ours.commitAll('my own work');
    let applied = false;
    const err = await pushWithRetry(w.ours.dir, {
      branch: 'main',
      apply: async () => {
        applied = true;
        return { result: undefined };
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('your branch has 1 commit not on origin/main; push or drop them first');
    expect(applied).toBe(false);
  });

  it('pushes a branch the remote does not have yet', async () => {
    const w = await world();
    await w.ours.git(['switch', '-q', '-c', 'registry-updates']);
    const { apply } = recordingApply(w.ours);
    await pushWithRetry(w.ours.dir, { branch: 'registry-updates', apply });
    expect((await w.remote.git(['rev-parse', 'registry-updates'])).trim()).toBe(await headSha(w.ours.dir));
  });
});
