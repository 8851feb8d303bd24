/**
 * Who approved a pull request, as the gate counts it: each reviewer's LATEST review, in state
 * APPROVED, on the PR's current head commit (an approval of an older push does not count),
 * never the PR author, and only from reviewers with write access to the repository: the
 * review's `author_association` is OWNER, MEMBER or COLLABORATOR (SPEC section 4), whether or
 * not the policy lists approvers in `approvals.from`.
 */
import { GitHubApiError, type GitHub } from './client';
import { InputError } from '../errors';

/** The fields of GitHub's pull-request-review object we read. */
export interface Review {
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
  /** octokit's `author-association`; absent (an older GHES, a proxy) counts as no write access. */
  author_association?: string;
  submitted_at?: string;
  id: number;
}

/**
 * Associations that mean write access. The others GitHub answers (CONTRIBUTOR, FIRST_TIMER,
 * FIRST_TIME_CONTRIBUTOR, MANNEQUIN, NONE) are anyone who can open or review a PR.
 */
export const WRITE_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export interface PullApprovals {
  /** The approvals that count, sorted by login. */
  approvers: { login: string; commit: string }[];
  /** Latest reviews that approved the head but whose author has no write access (reported, never counted). */
  withoutWriteAccess: { login: string; association: string }[];
}

export async function prApprovals(
  gh: GitHub,
  repo: { owner: string; repo: string },
  pr: { number: number; headSha: string; author: string },
): Promise<PullApprovals> {
  const reviews = await gh.paginate<Review>('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { ...repo, pull_number: pr.number });
  return latestApprovals(reviews, pr.headSha, pr.author);
}

/** Pure part, tested on its own. Reviews come oldest first (GitHub's order); COMMENTED does not replace a verdict. */
export function latestApprovals(reviews: Review[], headSha: string, author: string): PullApprovals {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (!r.user) continue;
    if (r.state === 'COMMENTED' || r.state === 'PENDING') continue;
    latest.set(r.user.login.toLowerCase(), r);
  }
  const approvers: PullApprovals['approvers'] = [];
  const withoutWriteAccess: PullApprovals['withoutWriteAccess'] = [];
  for (const r of latest.values()) {
    if (r.state !== 'APPROVED' || r.commit_id !== headSha) continue;
    if (r.user!.login.toLowerCase() === author.toLowerCase()) continue;
    const association = typeof r.author_association === 'string' ? r.author_association.toUpperCase() : 'NONE';
    if (!WRITE_ASSOCIATIONS.has(association)) withoutWriteAccess.push({ login: r.user!.login, association });
    else approvers.push({ login: r.user!.login, commit: r.commit_id });
  }
  const byLogin = (a: { login: string }, b: { login: string }) => a.login.localeCompare(b.login);
  return { approvers: approvers.sort(byLogin), withoutWriteAccess: withoutWriteAccess.sort(byLogin) };
}

/**
 * `@org/team` → member logins (members of child teams included, as GitHub lists them), through
 * the teams API. GITHUB_TOKEN cannot read organization teams: a refusal says so, and the
 * approvals check that asked fails closed with that message.
 */
export async function teamMembers(gh: GitHub, team: string): Promise<string[]> {
  const m = /^@?([^/\s]+)\/([^/\s]+)$/.exec(team);
  if (!m) throw new InputError(`'${team}' is not a team: write @org/team-slug in approvals.from`);
  try {
    const members = await gh.paginate<{ login: string }>('GET /orgs/{org}/teams/{team_slug}/members', { org: m[1], team_slug: m[2] });
    return members.map((u) => u.login);
  } catch (err) {
    if (err instanceof GitHubApiError && !err.outage && (err.status === 403 || err.status === 404)) {
      // The message is what the approvals check shows: it carries the remedy too.
      const message = `the token cannot read the members of @${m[1]}/${m[2]} (HTTP ${err.status}); GITHUB_TOKEN cannot read organization teams: pass a GitHub App token with members: read or a PAT with read:org as github-token`;
      throw new GitHubApiError(message, {
        status: err.status,
        hint: 'pass a token that can (a GitHub App token with members: read, or a PAT with read:org) as github-token, or list approvers by login',
        cause: err,
      });
    }
    throw err;
  }
}
