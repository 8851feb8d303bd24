import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { commitTime, currentBranch, headSha, isAncestor } from '../../src/git/history';
import { gitIn, makeRepo, type TestRepo } from '../helpers/git';

let repo: TestRepo;
let empty: TestRepo;
let first: string;
let second: string;

beforeAll(async () => {
  repo = await makeRepo({ 'a.txt': '1\n' });
  empty = await makeRepo();
  first = await repo.git(['rev-parse', 'HEAD']).then((s) => s.trim());
  await repo.write('a.txt', '2\n');
  second = await repo.commitAll('second');
});
afterAll(async () => {
  await repo.cleanup();
  await empty.cleanup();
});

describe('history', () => {
  it('reads HEAD, and says so when there are no commits yet', async () => {
    expect(await headSha(repo.dir)).toBe(second);
    await expect(headSha(empty.dir)).rejects.toThrow(/no commits yet/);
  });

  it('names the current branch, and refuses a detached HEAD', async () => {
    expect(await currentBranch(repo.dir)).toBe('main');
    expect(await currentBranch(empty.dir)).toBe('main'); // unborn, still a branch
    await repo.git(['checkout', '-q', '--detach']);
    try {
      const err = await currentBranch(repo.dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toBe('HEAD is detached: check out the branch to commit to');
    } finally {
      await repo.git(['checkout', '-q', 'main']);
    }
  });

  it('tells ancestors apart', async () => {
    expect(await isAncestor(repo.dir, first, second)).toBe(true);
    expect(await isAncestor(repo.dir, second, second)).toBe(true);
    expect(await isAncestor(repo.dir, second, first)).toBe(false);
  });

  it('reads the committer time (not the author time)', async () => {
    await gitIn(repo.dir, ['commit', '-q', '--allow-empty', '-m', 'dated', '--date=2020-01-01T00:00:00Z'], {
      GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
    });
    expect((await commitTime(repo.dir, await headSha(repo.dir))).toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });
});
