/**
 * Where the change a command made goes: left in the working tree, committed (`--commit`), or
 * published (`--push`, the Action): run once on the branch tip and published; when the branch
 * moved, run again from scratch on the new tip (it re-reads and re-judges everything), up to
 * the retry limit of publishWithRetry. Every command that writes takes this one path.
 */
import { resolve } from 'node:path';
import { currentBranch } from '../git/history';
import { commitChange, keepWritten } from '../publish/change';
import { gitPublisher } from '../publish/git';
import { publishWithRetry, type Attempt, type Publisher } from '../publish/publisher';
import { repoRoot } from './repoRoot';

/** Builds the publisher for a checkout on `branch` (the Action's commit-mode api); git push by default. */
export type PublisherFor = (root: string, branch: string) => Promise<Publisher>;

export interface LandOptions {
  repo: string;
  /** Commit the change locally. */
  commit?: boolean | undefined;
  /** Publish it (implies a commit), retrying on a moved branch. */
  push?: boolean | undefined;
  publisher?: PublisherFor | undefined;
  /** What is done again on a retry, for the progress line ("judging", "recording"). */
  redoing: string;
  onProgress?: ((text: string) => void) | undefined;
}

/** Runs `attempt` and lands its change; the result carries the commit made, if any. */
export async function land<T extends { commit?: string }>(o: LandOptions, attempt: () => Promise<Attempt<T>>): Promise<T> {
  const { result, commit } = await landed(o, attempt);
  return commit ? { ...result, commit } : result;
}

async function landed<T>(o: LandOptions, attempt: () => Promise<Attempt<T>>): Promise<{ result: T; commit?: string }> {
  if (!o.push) {
    const { result, change } = await attempt();
    if (!change) return { result };
    if (!o.commit) {
      await keepWritten(change);
      return { result };
    }
    const root = await repoRoot(resolve(o.repo));
    return { result, commit: await commitChange(root, change) };
  }
  const root = await repoRoot(resolve(o.repo));
  const branch = await currentBranch(root);
  const publisher = o.publisher ? await o.publisher(root, branch) : gitPublisher(root, branch);
  return publishWithRetry(root, publisher, attempt, {
    onRetry: ({ attempt: n, attempts, delayMs }) =>
      o.onProgress?.(`${publisher.refusal}: ${branch} moved; ${o.redoing} again on the new tip in ${(delayMs / 1000).toFixed(1)} s (attempt ${n + 1} of ${attempts})`),
  });
}
