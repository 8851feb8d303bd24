/**
 * repo/history.ts, the one walk of a registry file's first-parent history, on real repositories:
 * order and ranges, what a manifest said at each commit (absent, unreadable, loaded), and which
 * commit brought a line of a log (a merge counts from the merge, not from the branch's commits).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { changesTouching, commitsTouching, firstParentLine, lineLandedAt, manifestHistory } from '../../src/repo/history';
import { gitIn, makeRepo, type TestRepo } from '../helpers/git';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const FILE = 'registry/churn.yaml';
const manifest = (stage: string) => `apiVersion: modelgate/v1\nkind: Model\nname: churn\nversions:\n  - version: 1\n    run: runs/v1.json\n    stage: ${stage}\n`;

/** Commits with a fixed committer time (seconds since the epoch). */
async function commitAt(repo: TestRepo, message: string, epoch: number): Promise<string> {
  await repo.git(['add', '-A']);
  const date = `@${epoch} +0000`;
  await gitIn(repo.dir, ['commit', '-q', '--allow-empty', '-m', message], { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
  return (await repo.git(['rev-parse', 'HEAD'])).trim();
}

async function registry(): Promise<{ repo: TestRepo; shas: string[] }> {
  const repo = await makeRepo();
  cleanups.push(repo.cleanup);
  const shas: string[] = [];
  await repo.write(FILE, manifest('None'));
  shas.push(await commitAt(repo, 'register v1', 1_000));
  await repo.write('README.md', 'docs\n');
  await commitAt(repo, 'docs only', 2_000);
  await repo.write(FILE, 'versions: [\n'); // a broken manifest, committed
  shas.push(await commitAt(repo, 'broken', 3_000));
  await repo.write(FILE, manifest('Staging'));
  shas.push(await commitAt(repo, 'to Staging', 4_000));
  return { repo, shas };
}

describe('repo/history', () => {
  it('lists the commits that changed a file, oldest first or newest first, after a revision, with parent, time and subject', async () => {
    const { repo, shas } = await registry();
    const all = await commitsTouching(repo.dir, [FILE]);
    expect(all.map((c) => c.sha)).toEqual(shas);
    expect(all.map((c) => c.subject)).toEqual(['register v1', 'broken', 'to Staging']);
    expect(all.map((c) => c.time.getTime() / 1000)).toEqual([1_000, 3_000, 4_000]);
    expect(all[0]!.parent).toBeUndefined();
    expect(all[1]!.parent).toBe((await repo.git(['rev-parse', `${shas[1]}^`])).trim());
    expect((await commitsTouching(repo.dir, [FILE], { newestFirst: true })).map((c) => c.sha)).toEqual([...shas].reverse());
    expect((await commitsTouching(repo.dir, [FILE], { since: shas[0]! })).map((c) => c.sha)).toEqual(shas.slice(1));
    expect((await commitsTouching(repo.dir, [FILE], { from: shas[1]! })).map((c) => c.sha)).toEqual(shas.slice(0, 2));
    await expect(commitsTouching(repo.dir, [FILE], { since: 'no-such-ref' })).rejects.toBeInstanceOf(InputError);
  });

  it('answers no commits where git cannot (a repository without commits)', async () => {
    const empty = await makeRepo();
    cleanups.push(empty.cleanup);
    expect(await commitsTouching(empty.dir, [FILE])).toEqual([]);
    expect(await changesTouching(empty.dir, ['registry'])).toEqual([]);
  });

  it("gives the manifest at each commit of its history: loaded, or unreadable where it did not load", async () => {
    const { repo } = await registry();
    const seen: string[] = [];
    for await (const { commit, then } of manifestHistory(repo.dir, FILE)) {
      seen.push(`${commit.subject}: ${then.kind === 'manifest' ? then.manifest.versions[0]!.stage : then.kind}`);
    }
    expect(seen).toEqual(['register v1: None', 'broken: unreadable', 'to Staging: Staging']);
  });

  it('says a file deleted at a commit is absent there', async () => {
    const { repo } = await registry();
    await repo.git(['rm', '-q', FILE]);
    await commitAt(repo, 'remove the model', 5_000);
    const kinds: string[] = [];
    for await (const { then } of manifestHistory(repo.dir, FILE, { newestFirst: true })) kinds.push(then.kind);
    expect(kinds).toEqual(['absent', 'manifest', 'unreadable', 'manifest']);
  });

  it('dates a line from the first-parent commit that brought it: a merged branch counts from the merge', async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    await repo.write('audit/churn.jsonl', 'record 1\n');
    await commitAt(repo, 'first record', 1_000);
    await repo.git(['switch', '-q', '-c', 'feature']);
    await repo.write('audit/churn.jsonl', 'record 1\nrecord 2\n');
    await commitAt(repo, 'second record, on a branch', 2_000);
    await repo.git(['switch', '-q', 'main']);
    await repo.write('other.txt', 'x\n');
    await commitAt(repo, 'meanwhile on main', 3_000);
    await gitIn(repo.dir, ['merge', '-q', '--no-ff', '-m', 'merge feature', 'feature'], { GIT_COMMITTER_DATE: '@9000 +0000', GIT_AUTHOR_DATE: '@9000 +0000' });
    const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
    expect((await lineLandedAt(repo.dir, head, 'audit/churn.jsonl', 1))?.getTime()).toBe(1_000_000);
    expect((await lineLandedAt(repo.dir, head, 'audit/churn.jsonl', 2))?.getTime()).toBe(9_000_000);
    expect(await lineLandedAt(repo.dir, head, 'audit/churn.jsonl', 3)).toBeUndefined();
    // The branch's commit is not on the first-parent line; the merge is.
    const line = await firstParentLine(repo.dir);
    expect(line[0]).toBe(head);
    expect(line).not.toContain((await repo.git(['rev-parse', 'feature'])).trim());
    expect((await changesTouching(repo.dir, ['audit'])).map((c) => [...c.files])).toEqual([['audit/churn.jsonl'], ['audit/churn.jsonl']]);
  });
});
