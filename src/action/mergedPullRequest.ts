/**
 * On push: which pull request's merge the pushed range brought, and who approved it, so the
 * audit records name each approver with the commit approved (SPEC section 8). Only when every
 * registry-changing first-parent commit of the range names the same PR (`Merge pull request
 * #N …` or a squash's `Title (#N)`); otherwise the records carry no approvals rather than
 * wrong ones.
 */
import { git } from '../git/exec';
import { prNumberOf } from '../commands/record';
import type { GitHub } from '../github/client';
import { prApprovals, type PullApprovals } from '../github/reviews';

export async function mergedPullRequestNumber(root: string, since: string | undefined, registryDir: string): Promise<number | undefined> {
  if (!since) return undefined;
  const r = await git(['log', '--first-parent', '--format=%s', `${since}..HEAD`, '--', registryDir], { cwd: root });
  const numbers = r.stdout.split('\n').filter(Boolean).map(prNumberOf);
  const [first] = numbers;
  return first !== undefined && numbers.every((n) => n === first) ? first : undefined;
}

/** The approvals the gate counted: latest APPROVED review per reviewer on the PR's last head, never the author. */
export async function approvalsOf(gh: GitHub, repo: { owner: string; repo: string }, number: number): Promise<PullApprovals> {
  const pull = await gh.request<{ head: { sha: string }; user: { login: string } | null }>('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: number });
  return prApprovals(gh, repo, { number, headSha: pull.data.head.sha, author: pull.data.user?.login ?? '' });
}
