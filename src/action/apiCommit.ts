/**
 * commit-mode `api`: the same change a `--commit --push` run makes, written as a commit through
 * GitHub's createCommitOnBranch, so GitHub signs it (repositories that require signed commits
 * accept it). The change is made in the checkout without committing, sent with
 * `expectedHeadOid` = the commit it was judged on (a compare-and-swap), and re-made on the new
 * tip when the branch moved, like push-with-retry does for `git push`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../errors';
import { currentBranch, headSha } from '../git/history';
import { backoffMs } from '../git/push';
import { createGitHub } from '../github/client';
import { createCommitOnBranch, HeadMovedError } from '../github/commitOnBranch';
import { catchUpWithOrigin, discardWrites } from './checkout';
import { info } from './log';
import type { ActionContext } from './context';

const MAX_ATTEMPTS = 5;

/** What one attempt wrote (repo-relative paths) and the commit message for it. */
export interface WrittenChange {
  files: string[];
  message: string;
}

/**
 * Runs `attempt` (judge and write, no commit) on the tip of the branch and commits what it
 * wrote through the API. `attempt` answers undefined when there is nothing to commit (denied,
 * nothing to record). Resolves the new commit's sha, with the checkout moved onto it.
 */
export async function commitThroughApi(ctx: ActionContext, root: string, attempt: () => Promise<WrittenChange | undefined>): Promise<string | undefined> {
  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const branch = await currentBranch(root);
  await catchUpWithOrigin(root, branch);
  for (let n = 1; ; n++) {
    const started = Date.now();
    const judgedOn = await headSha(root);
    const change = await attempt();
    if (!change) return undefined;
    const files = await Promise.all(change.files.map(async (path) => ({ path, contents: await readFile(join(root, path)) })));
    const [headline = '', ...rest] = change.message.split('\n');
    try {
      const oid = await createCommitOnBranch(gh, {
        repository: `${ctx.repository.owner}/${ctx.repository.repo}`,
        branch,
        expectedHeadOid: judgedOn,
        headline,
        body: rest.join('\n').trim(),
        files,
      });
      // The checkout follows the branch: what we wrote is exactly what the new commit holds.
      await discardWrites(root, change.files);
      await catchUpWithOrigin(root, branch);
      return oid;
    } catch (err) {
      // Nothing was committed: the checkout goes back to the branch as it is.
      await discardWrites(root, change.files);
      if (!(err instanceof HeadMovedError)) throw err;
      if (n >= MAX_ATTEMPTS) break;
      info(`modelgate: ${branch} moved while committing; judging again on the new tip (attempt ${n + 1} of ${MAX_ATTEMPTS})`);
      // Wait first, then fetch: judging on a tip fetched before the wait is judging a stale tip.
      await sleep(backoffMs(n, Date.now() - started));
      await catchUpWithOrigin(root, branch);
    }
  }
  throw new EnvironmentError(`gave up after ${MAX_ATTEMPTS} attempts: ${branch} kept moving while committing through the API`, {
    hint: 'nothing was committed; give modelgate workflows one concurrency group and re-run',
  });
}

/**
 * GitHub API tuning from the environment: MODELGATE_RETRY_BASE_MS sets every back-off (tests
 * make it small), as it does for git push; MODELGATE_GITHUB_TIMEOUT_MS the budget per request.
 */
export function retryTuning(env: Record<string, string | undefined>): { backoffMs?: number; timeoutMs?: number } {
  const ms = Number(env.MODELGATE_RETRY_BASE_MS);
  const timeout = Number(env.MODELGATE_GITHUB_TIMEOUT_MS);
  return {
    ...(env.MODELGATE_RETRY_BASE_MS !== undefined && Number.isFinite(ms) && ms >= 0 ? { backoffMs: ms } : {}),
    ...(env.MODELGATE_GITHUB_TIMEOUT_MS !== undefined && Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
