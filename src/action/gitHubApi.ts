/**
 * The Action's GitHub API client settings, and commit-mode `api`: the same change a `--push`
 * run makes, published through createCommitOnBranch (publish/github.ts) instead of git push.
 */
import { createGitHub } from '../github/client';
import { apiPublisher } from '../publish/github';
import type { PublisherFor } from '../commands/publish';
import { info } from './log';
import type { ActionContext } from './context';

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

/** Where a decision or `record` publishes under the `commit-mode` input: undefined is git push. */
export function publisherOf(ctx: ActionContext): PublisherFor | undefined {
  if (ctx.inputs.commitMode !== 'api') return undefined;
  return async (root, branch) => {
    const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
    return apiPublisher(root, { gh, repository: `${ctx.repository.owner}/${ctx.repository.repo}`, branch, onNote: info });
  };
}
