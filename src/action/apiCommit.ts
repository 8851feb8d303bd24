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
import { git } from '../git/exec';
import { currentBranch, headSha } from '../git/history';
import { GitObjects } from '../repo/gitState';
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
      // The checkout goes back to the branch as it is.
      await discardWrites(root, change.files);
      // A request retried after a lost answer (5xx, timeout) may have landed the first time: the
      // branch then moved by exactly our commit, and judging again would refuse our own change.
      const landed = await landedAs(root, branch, judgedOn, change.message, files).catch(() => undefined);
      if (landed) {
        info(`modelgate: the commit landed although GitHub's answer was lost (${landed.slice(0, 12)})`);
        return landed;
      }
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
 * The tip of `branch` on origin, when it is exactly the commit we asked for: one commit on top
 * of `parent`, with our headline, holding our files byte for byte. The checkout moves to it.
 */
async function landedAs(root: string, branch: string, parent: string, message: string, files: { path: string; contents: Buffer }[]): Promise<string | undefined> {
  const tip = await catchUpWithOrigin(root, branch);
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
