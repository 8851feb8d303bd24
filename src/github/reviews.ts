/**
 * Who approved a pull request, as the gate counts it: each reviewer's LATEST review, in state
 * APPROVED, on the PR's current head commit (an approval of an older push does not count),
 * and never the PR author.
 */
import { GitHubApiError, type GitHub } from './client';
import { InputError } from '../errors';

interface Review {
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string;
  id: number;
}

export async function prApprovals(
  gh: GitHub,
  repo: { owner: string; repo: string },
  pr: { number: number; headSha: string; author: string },
): Promise<{ login: string; commit: string }[]> {
  const reviews = await gh.paginate<Review>('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { ...repo, pull_number: pr.number });
  return latestApprovals(reviews, pr.headSha, pr.author);
}

/** Pure part, tested on its own. Reviews come oldest first (GitHub's order); COMMENTED does not replace a verdict. */
export function latestApprovals(reviews: Review[], headSha: string, author: string): { login: string; commit: string }[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (!r.user) continue;
    if (r.state === 'COMMENTED' || r.state === 'PENDING') continue;
    latest.set(r.user.login.toLowerCase(), r);
  }
  const out: { login: string; commit: string }[] = [];
  for (const r of latest.values()) {
    if (r.state !== 'APPROVED' || r.commit_id !== headSha) continue;
    if (r.user!.login.toLowerCase() === author.toLowerCase()) continue;
    out.push({ login: r.user!.login, commit: r.commit_id });
  }
  return out.sort((a, b) => a.login.localeCompare(b.login));
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
