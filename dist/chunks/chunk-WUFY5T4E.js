import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  GitHubApiError
} from "./chunk-4ZADNPQQ.js";
import {
  InputError
} from "./chunk-UI47FEJI.js";

// src/github/reviews.ts
async function prApprovals(gh, repo, pr) {
  const reviews = await gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...repo, pull_number: pr.number });
  return latestApprovals(reviews, pr.headSha, pr.author);
}
function latestApprovals(reviews, headSha, author) {
  const latest = /* @__PURE__ */ new Map();
  for (const r of reviews) {
    if (!r.user) continue;
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.user.login.toLowerCase(), r);
  }
  const out = [];
  for (const r of latest.values()) {
    if (r.state !== "APPROVED" || r.commit_id !== headSha) continue;
    if (r.user.login.toLowerCase() === author.toLowerCase()) continue;
    out.push({ login: r.user.login, commit: r.commit_id });
  }
  return out.sort((a, b) => a.login.localeCompare(b.login));
}
async function teamMembers(gh, team) {
  const m = /^@?([^/\s]+)\/([^/\s]+)$/.exec(team);
  if (!m) throw new InputError(`'${team}' is not a team: write @org/team-slug in approvals.from`);
  try {
    const members = await gh.paginate("GET /orgs/{org}/teams/{team_slug}/members", { org: m[1], team_slug: m[2] });
    return members.map((u) => u.login);
  } catch (err) {
    if (err instanceof GitHubApiError && !err.outage && (err.status === 403 || err.status === 404)) {
      const message = `the token cannot read the members of @${m[1]}/${m[2]} (HTTP ${err.status}); GITHUB_TOKEN cannot read organization teams: pass a GitHub App token with members: read or a PAT with read:org as github-token`;
      throw new GitHubApiError(message, {
        status: err.status,
        hint: "pass a token that can (a GitHub App token with members: read, or a PAT with read:org) as github-token, or list approvers by login",
        cause: err
      });
    }
    throw err;
  }
}

export {
  prApprovals,
  teamMembers
};
