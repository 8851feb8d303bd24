/**
 * The two publishers behind the one retry loop, run through the same cases against a real
 * remote: git (commit, push over HTTP with a token) and the GitHub API (createCommitOnBranch on
 * the fake GitHub, which writes to the same bare repository). They must agree: a change lands on
 * the tip, a moved branch is re-judged on the new tip, a branch with local commits is refused as
 * bad input (exit 2) before anything is judged, and a branch that never stops moving gives up.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError, InputError } from '../../src/errors';
import { createGitHub } from '../../src/github/client';
import { headSha } from '../../src/git/history';
import { gitPublisher } from '../../src/publish/git';
import { apiPublisher } from '../../src/publish/github';
import { publishWithRetry, type Attempt, type Publisher } from '../../src/publish/publisher';
import { startFakeGitHub } from '../helpers/fakeGitHub';
import { clone, makeBareRemote, makeRepo, type TestRepo } from '../helpers/git';
import { startGitHttpServer } from '../helpers/gitHttp';

const TOKEN = 'ghs_publishT0kenSecret';
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  process.env.MODELGATE_RETRY_BASE_MS = '1';
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

type Kind = 'git' | 'api';

async function world(kind: Kind) {
  const remote = await makeBareRemote();
  const server = await startGitHttpServer({ root: remote.root, token: TOKEN });
  const gh = await startFakeGitHub({ owner: 'acme', repo: 'registry', tokens: [TOKEN], bareRepo: remote.dir });
  const seed = await makeRepo({ 'registry/churn.yaml': 'stage: Staging\n' });
  await seed.git(['push', '-q', remote.dir, 'main']);
  const ours = await clone(server.url(remote.name, TOKEN));
  const other = await clone(remote.dir);
  cleanups.push(server.stop, gh.stop, remote.cleanup, seed.cleanup, ours.cleanup, other.cleanup);
  const publisher: Publisher =
    kind === 'git'
      ? gitPublisher(ours.dir, 'main')
      : apiPublisher(ours.dir, { gh: await createGitHub({ token: TOKEN, baseUrl: gh.url, backoffMs: 1 }), repository: 'acme/registry', branch: 'main' });
  const otherPushes = async (name: string): Promise<string> => {
    await other.git(['pull', '-q', '--ff-only']);
    await other.write(`${name}.txt`, `${name}\n`);
    const sha = await other.commitAll(name);
    await other.git(['push', '-q', 'origin', 'main']);
    return sha;
  };
  const remoteTip = async () => (await remote.git(['rev-parse', 'main'])).trim();
  return { remote, ours, publisher, otherPushes, remoteTip };
}

/** An attempt that records the tip it ran on and writes one file saying so: the change to publish. */
function recordingAttempt(repo: TestRepo, before?: (call: number) => Promise<unknown>) {
  const seen: string[] = [];
  const attempt = async (): Promise<Attempt<number>> => {
    seen.push(await headSha(repo.dir));
    await before?.(seen.length);
    await repo.write('audit/churn.jsonl', `decided on ${seen[seen.length - 1]}\n`);
    return { result: seen.length, change: { files: ['audit/churn.jsonl'], message: 'modelgate: promote churn v1\n\nModelgate-Transition: Staging -> Production', writes: [] } };
  };
  return { seen, attempt };
}

describe.each<Kind>(['git', 'api'])('the %s publisher', (kind) => {
  it('publishes on the tip; a branch that moved meanwhile is judged again on the new tip and the change lands on top of it', async () => {
    const w = await world(kind);
    let theirs = '';
    const { seen, attempt } = recordingAttempt(w.ours, async (call) => {
      if (call === 1) theirs = await w.otherPushes('concurrent');
    });
    const out = await publishWithRetry(w.ours.dir, w.publisher, attempt);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(theirs);
    expect(out).toEqual({ result: 2, commit: await w.remoteTip() });
    expect((await w.remote.git(['rev-parse', 'main^'])).trim()).toBe(theirs);
    expect(await w.remote.git(['show', 'main:audit/churn.jsonl'])).toBe(`decided on ${theirs}\n`);
    expect(await w.remote.git(['log', '-1', '--format=%s', 'main'])).toBe('modelgate: promote churn v1\n');
    // The checkout is on the published commit, clean.
    expect(await headSha(w.ours.dir)).toBe(out.commit);
    expect((await w.ours.git(['status', '--porcelain', '--untracked-files=all'])).trim()).toBe('');
  });

  it('refuses a local branch with commits the remote lacks as bad input (exit 2), before judging anything', async () => {
    const w = await world(kind);
    await w.ours.write('mine.txt', 'unpushed\n');
    await w.ours.commitAll('my own work');
    const before = await w.remoteTip();
    const { seen, attempt } = recordingAttempt(w.ours);
    const err = await publishWithRetry(w.ours.dir, w.publisher, attempt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toBe('your branch has 1 commit not on origin/main; push or drop them first');
    expect(seen).toHaveLength(0);
    expect(await w.remoteTip()).toBe(before);
    expect((await w.ours.git(['log', '-1', '--format=%s'])).trim()).toBe('my own work'); // the user's work is kept
  });

  it('gives up after 5 attempts when the branch moves every time: exit 3, nothing published, the checkout at the new tip', async () => {
    const w = await world(kind);
    const { seen, attempt } = recordingAttempt(w.ours, (call) => w.otherPushes(`race${call}`));
    const err = await publishWithRetry(w.ours.dir, w.publisher, attempt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(3);
    expect((err as Error).message).toBe('gave up after 5 attempts: main kept moving; re-run (use a concurrency group in CI)');
    expect(seen).toHaveLength(5);
    expect(await headSha(w.ours.dir)).toBe(await w.remoteTip());
    expect((await w.remote.git(['log', '--format=%s', 'main'])).split('\n')).not.toContain('modelgate: promote churn v1');
    expect((await w.ours.git(['status', '--porcelain', '--untracked-files=all'])).trim()).toBe('');
  });
});
