/**
 * On push: which pull request each recorded commit came from, and who approved it, so the
 * audit records name the PR and each approver with the commit approved (SPEC sections 7 and
 * 8). Asked of GitHub, never read from the commit message (a subject `… (#7)` is anyone's to
 * write): the commit's associated pull requests (`GET /repos/{o}/{r}/commits/{sha}/pulls`),
 * of which only a merged one whose merge commit (merge, squash, rebase) or merged head (a
 * fast-forward) IS that commit counts. Its approvals are those on its merged head only.
 */
import type { GitHub } from '../github/client';
import { prApprovals, type PullApprovals } from '../github/reviews';
import type { Attribution } from '../commands/record';

/** The fields of GitHub's pull-request-simple we read. */
interface AssociatedPull {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string };
  user: { login: string } | null;
}

export interface MergedPull {
  number: number;
  /** The head commit that was merged (what the approvals must be on). */
  headSha: string;
  author: string;
}

/**
 * The merged pull request that made `sha`, or undefined (a direct push, or a commit the API
 * associates only with open or unrelated PRs). Two candidates that both claim the commit (not
 * something GitHub does) attribute nothing rather than guess.
 */
export async function mergedPullRequestOf(gh: GitHub, repo: { owner: string; repo: string }, sha: string): Promise<MergedPull | undefined> {
  const pulls = await gh.paginate<AssociatedPull>('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...repo, commit_sha: sha });
  const merged = pulls.filter((p) => typeof p.merged_at === 'string' && p.merged_at !== '');
  const byMerge = merged.filter((p) => p.merge_commit_sha === sha);
  const candidates = byMerge.length ? byMerge : merged.filter((p) => p.head?.sha === sha);
  if (candidates.length !== 1) return undefined;
  const p = candidates[0]!;
  return { number: p.number, headSha: p.head.sha, author: p.user?.login ?? '' };
}

/** The approvals the gate counts, on the merged head: latest APPROVED per reviewer with write access, never the author. */
export function approvalsOf(gh: GitHub, repo: { owner: string; repo: string }, pull: MergedPull): Promise<PullApprovals> {
  return prApprovals(gh, repo, { number: pull.number, headSha: pull.headSha, author: pull.author });
}

/** record's `attribute`: per recorded commit, its PR and approvals, or unattributed. API failures propagate (exit 3). */
export function attributionFromGitHub(gh: () => Promise<GitHub>, repo: { owner: string; repo: string }): (sha: string) => Promise<Attribution> {
  return async (sha) => {
    const api = await gh();
    const pull = await mergedPullRequestOf(api, repo, sha);
    if (!pull) return { approvals: { kind: 'unattributed', commit: sha } };
    return { pr: pull.number, approvals: { kind: 'pr', ...(await approvalsOf(api, repo, pull)) } };
  };
}
