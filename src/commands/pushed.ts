/**
 * `--push` for any command that commits: run it once on the current tip and push; when the
 * push is rejected because the branch moved, run it again from scratch on the new tip (it
 * re-reads and re-judges everything) and push that, up to the retry limit of pushWithRetry.
 */
import { resolve } from 'node:path';
import { currentBranch } from '../git/history';
import { pushWithRetry } from '../git/push';
import { repoRoot } from './repoRoot';

export interface PushedRun<T> {
  repo: string;
  /** One complete run on the current tip, committing what it decides. */
  once: () => Promise<T>;
  /** Whether that run made a commit to push. */
  committed: (result: T) => boolean;
  /** What is done again on a retry, for the progress line ("judging", "recording"). */
  redoing: string;
  onProgress?: (text: string) => void;
}

export async function runPushed<T>(p: PushedRun<T>): Promise<T> {
  const root = await repoRoot(resolve(p.repo));
  const branch = await currentBranch(root);
  let last: T | undefined;
  await pushWithRetry(root, {
    branch,
    apply: async () => {
      last = await p.once();
      return { committed: p.committed(last) };
    },
    onRetry: ({ attempt, attempts, delayMs }) =>
      p.onProgress?.(`push rejected: ${branch} moved; ${p.redoing} again on the new tip in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})`),
  });
  return last!;
}
