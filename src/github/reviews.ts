/**
 * Who approved a pull request, as the gate counts it: each reviewer's LATEST review, in state
 * APPROVED, on the PR's current head commit (an approval of an older push does not count),
 * and never the PR author.
 */
import type { GitHub } from './client';

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

/** `@org/team` → member logins, through the teams API. */
export async function teamMembers(gh: GitHub, team: string): Promise<string[]> {
  const m = /^@?([^/]+)\/(.+)$/.exec(team);
  if (!m) return [];
  const members = await gh.paginate<{ login: string }>('GET /orgs/{org}/teams/{team_slug}/members', { org: m[1], team_slug: m[2] });
  return members.map((u) => u.login);
}
