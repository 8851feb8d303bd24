import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  catchUp,
  fetchTip
} from "./chunk-VEV7GLFQ.js";
import {
  keepWritten,
  restoreFromHead
} from "./chunk-KJYE4KVK.js";
import {
  GitHubApiError,
  createGitHub,
  info
} from "./chunk-4UTOWC7N.js";
import {
  GitObjects
} from "./chunk-ECHALH7R.js";
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

// src/github/reviews.ts
var WRITE_ASSOCIATIONS = /* @__PURE__ */ new Set(["OWNER", "MEMBER", "COLLABORATOR"]);
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
  const approvers = [];
  const withoutWriteAccess = [];
  for (const r of latest.values()) {
    if (r.state !== "APPROVED" || r.commit_id !== headSha) continue;
    if (r.user.login.toLowerCase() === author.toLowerCase()) continue;
    const association = typeof r.author_association === "string" ? r.author_association.toUpperCase() : "NONE";
    if (!WRITE_ASSOCIATIONS.has(association)) withoutWriteAccess.push({ login: r.user.login, association });
    else approvers.push({ login: r.user.login, commit: r.commit_id });
  }
  const byLogin = (a, b) => a.login.localeCompare(b.login);
  return { approvers: approvers.sort(byLogin), withoutWriteAccess: withoutWriteAccess.sort(byLogin) };
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

// src/publish/github.ts
import { readFile } from "node:fs/promises";
import { join } from "node:path";

// src/github/commitOnBranch.ts
var HeadMovedError = class extends Error {
};
var MUTATION = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;
async function createCommitOnBranch(gh, c) {
  try {
    const r = await gh.graphql(MUTATION, {
      input: {
        branch: { repositoryNameWithOwner: c.repository, branchName: c.branch },
        expectedHeadOid: c.expectedHeadOid,
        message: { headline: c.headline, body: c.body },
        fileChanges: { additions: c.files.map((f) => ({ path: f.path, contents: f.contents.toString("base64") })) }
      }
    });
    return r.createCommitOnBranch.commit.oid;
  } catch (err) {
    if (isHeadMoved(err)) throw new HeadMovedError(err.message);
    throw err;
  }
}
function isHeadMoved(err) {
  if (err instanceof GitHubApiError && err.graphqlTypes.includes("STALE_DATA")) return true;
  return /expected branch to point to/i.test(err?.message ?? "");
}

// src/publish/github.ts
function apiPublisher(root, t) {
  const target = `origin/${t.branch}`;
  const follow = async () => {
    const tip = await fetchTip(root, "origin", t.branch);
    if (tip === void 0) throw new EnvironmentError(`git fetch origin ${t.branch} failed: ${target} does not exist`, { hint: "check the checkout\u2019s credentials and the remote (git remote -v)" });
    await catchUp(root, target, tip);
    return tip;
  };
  return {
    branch: t.branch,
    target,
    nothingDone: "nothing was committed",
    refusal: "commit refused by GitHub",
    catchUp: async () => void await follow(),
    async publish(change, judgedOn) {
      await keepWritten(change);
      const files = await Promise.all(change.files.map(async (path) => ({ path, contents: await readFile(join(root, path)) })));
      const [headline = "", ...rest] = change.message.split("\n");
      try {
        const oid = await createCommitOnBranch(t.gh, { repository: t.repository, branch: t.branch, expectedHeadOid: judgedOn, headline, body: rest.join("\n").trim(), files });
        await restoreFromHead(root, change.files);
        await follow();
        return oid;
      } catch (err) {
        await restoreFromHead(root, change.files);
        const landed = await landedAs(root, follow, judgedOn, change.message, files).catch(() => void 0);
        if (landed) {
          t.onNote?.(`modelgate: the commit landed although GitHub's answer was lost (${landed.slice(0, 12)})`);
          return landed;
        }
        if (err instanceof HeadMovedError) return "moved";
        throw err;
      }
    }
  };
}
async function landedAs(root, follow, parent, message, files) {
  const tip = await follow();
  if (tip === parent) return void 0;
  const [parents, said] = await Promise.all([
    git(["rev-list", "--parents", "-n", "1", tip], { cwd: root }),
    git(["log", "-1", "--format=%B", tip], { cwd: root })
  ]);
  if (parents.stdout.trim() !== `${tip} ${parent}` || said.stdout.split("\n")[0] !== message.split("\n")[0]) return void 0;
  const objects = new GitObjects(root);
  try {
    for (const f of files) {
      const held = await objects.read(tip, f.path);
      if (!held?.equals(f.contents)) return void 0;
    }
  } finally {
    objects.close();
  }
  return tip;
}

// src/action/gitHubApi.ts
function retryTuning(env) {
  const ms = Number(env.MODELGATE_RETRY_BASE_MS);
  const timeout = Number(env.MODELGATE_GITHUB_TIMEOUT_MS);
  return {
    ...env.MODELGATE_RETRY_BASE_MS !== void 0 && Number.isFinite(ms) && ms >= 0 ? { backoffMs: ms } : {},
    ...env.MODELGATE_GITHUB_TIMEOUT_MS !== void 0 && Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}
  };
}
function publisherOf(ctx) {
  if (ctx.inputs.commitMode !== "api") return void 0;
  return async (root, branch) => {
    const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
    return apiPublisher(root, { gh, repository: `${ctx.repository.owner}/${ctx.repository.repo}`, branch, onNote: info });
  };
}

// src/action/teams.ts
function teamResolver(gh) {
  const cache = /* @__PURE__ */ new Map();
  return (team) => {
    let p = cache.get(team);
    if (!p) {
      p = teamMembers(gh, team);
      cache.set(team, p);
    }
    return p;
  };
}
function lazyTeamResolver(ctx) {
  let inner;
  return async (team) => {
    inner ??= createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) }).then(teamResolver);
    return (await inner)(team);
  };
}

export {
  prApprovals,
  retryTuning,
  publisherOf,
  teamResolver,
  lazyTeamResolver
};
