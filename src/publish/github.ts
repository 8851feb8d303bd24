/**
 * Publishing through GitHub's createCommitOnBranch (commit-mode api): GitHub makes and signs the
 * commit, so repositories that require signed commits accept it. The change is sent with
 * `expectedHeadOid` = the commit it was judged on (a compare-and-swap); the checkout then
 * follows the branch, so what we wrote is exactly what the new commit holds.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../git/exec';
import { restoreFromHead } from '../git/commit';
import { catchUp, fetchTip } from '../git/push';
import { EnvironmentError } from '../errors';
import type { GitHub } from '../github/client';
import { createCommitOnBranch, HeadMovedError } from '../github/commitOnBranch';
import { GitObjects } from '../repo/gitState';
import { keepWritten } from './change';
import type { Publisher } from './publisher';

export interface ApiTarget {
  gh: GitHub;
  /** owner/name */
  repository: string;
  branch: string;
  /** Told what a reader of the log should know (a commit found landed after a lost answer). */
  onNote?: (text: string) => void;
}

export function apiPublisher(root: string, t: ApiTarget): Publisher {
  const target = `origin/${t.branch}`;
  /** The checkout onto the branch's tip on origin (which must exist: the API commits to a branch, it creates none). */
  const follow = async (): Promise<string> => {
    const tip = await fetchTip(root, 'origin', t.branch);
    if (tip === undefined) throw new EnvironmentError(`git fetch origin ${t.branch} failed: ${target} does not exist`, { hint: 'check the checkout’s credentials and the remote (git remote -v)' });
    await catchUp(root, target, tip);
    return tip;
  };
  return {
    branch: t.branch,
    target,
    nothingDone: 'nothing was committed',
    refusal: 'commit refused by GitHub',
    catchUp: async () => void (await follow()),
    async publish(change, judgedOn) {
      await keepWritten(change); // the files stay until the commit holds them; the checkout is restored from git below
      const files = await Promise.all(change.files.map(async (path) => ({ path, contents: await readFile(join(root, path)) })));
      const [headline = '', ...rest] = change.message.split('\n');
      try {
        const oid = await createCommitOnBranch(t.gh, { repository: t.repository, branch: t.branch, expectedHeadOid: judgedOn, headline, body: rest.join('\n').trim(), files });
        await restoreFromHead(root, change.files);
        await follow();
        return oid;
      } catch (err) {
        // The checkout goes back to the branch as it is.
        await restoreFromHead(root, change.files);
        // A request retried after a lost answer (5xx, timeout) may have landed the first time: the
        // branch then moved by exactly our commit, and judging again would refuse our own change.
        const landed = await landedAs(root, follow, judgedOn, change.message, files).catch(() => undefined);
        if (landed) {
          t.onNote?.(`modelgate: the commit landed although GitHub's answer was lost (${landed.slice(0, 12)})`);
          return landed;
        }
        if (err instanceof HeadMovedError) return 'moved';
        throw err;
      }
    },
  };
}

/**
 * The tip of the branch on origin, when it is exactly the commit we asked for: one commit on
 * top of `parent`, with our headline, holding our files byte for byte. The checkout moves to it.
 */
async function landedAs(root: string, follow: () => Promise<string>, parent: string, message: string, files: { path: string; contents: Buffer }[]): Promise<string | undefined> {
  const tip = await follow();
  if (tip === parent) return undefined;
  const [parents, said] = await Promise.all([
    git(['rev-list', '--parents', '-n', '1', tip], { cwd: root }),
    git(['log', '-1', '--format=%B', tip], { cwd: root }),
  ]);
  // The headline, not the whole message: GitHub may normalize the body's whitespace.
  if (parents.stdout.trim() !== `${tip} ${parent}` || said.stdout.split('\n')[0] !== message.split('\n')[0]) return undefined;
  const objects = new GitObjects(root);
  try {
    for (const f of files) {
      const held = await objects.read(tip, f.path);
      if (!held?.equals(f.contents)) return undefined;
    }
  } finally {
    objects.close();
  }
  return tip;
}
