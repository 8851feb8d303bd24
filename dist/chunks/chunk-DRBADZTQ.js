import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  catchUpWithOrigin,
  discardWrites
} from "./chunk-CYNP7M5A.js";
import {
  backoffMs
} from "./chunk-PWE5H2PI.js";
import {
  GitHubApiError,
  createGitHub,
  info
} from "./chunk-4UTOWC7N.js";
import {
  GitObjects
} from "./chunk-TBOHN3PD.js";
import {
  currentBranch,
  headSha
} from "./chunk-B3B7KCWZ.js";
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
function latestApprovals(reviews, headSha2, author) {
  const latest = /* @__PURE__ */ new Map();
  for (const r of reviews) {
    if (!r.user) continue;
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.user.login.toLowerCase(), r);
  }
  const approvers = [];
  const withoutWriteAccess = [];
  for (const r of latest.values()) {
    if (r.state !== "APPROVED" || r.commit_id !== headSha2) continue;
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

// src/action/apiCommit.ts
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

// src/action/apiCommit.ts
var MAX_ATTEMPTS = 5;
async function commitThroughApi(ctx, root, attempt) {
  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const branch = await currentBranch(root);
  await catchUpWithOrigin(root, branch);
  for (let n = 1; ; n++) {
    const started = Date.now();
    const judgedOn = await headSha(root);
    const change = await attempt();
    if (!change) return void 0;
    const files = await Promise.all(change.files.map(async (path) => ({ path, contents: await readFile(join(root, path)) })));
    const [headline = "", ...rest] = change.message.split("\n");
    try {
      const oid = await createCommitOnBranch(gh, {
        repository: `${ctx.repository.owner}/${ctx.repository.repo}`,
        branch,
        expectedHeadOid: judgedOn,
        headline,
        body: rest.join("\n").trim(),
        files
      });
      await discardWrites(root, change.files);
      await catchUpWithOrigin(root, branch);
      return oid;
    } catch (err) {
      await discardWrites(root, change.files);
      const landed = await landedAs(root, branch, judgedOn, change.message, files).catch(() => void 0);
      if (landed) {
        info(`modelgate: the commit landed although GitHub's answer was lost (${landed.slice(0, 12)})`);
        return landed;
      }
      if (!(err instanceof HeadMovedError)) throw err;
      if (n >= MAX_ATTEMPTS) break;
      info(`modelgate: ${branch} moved while committing; judging again on the new tip (attempt ${n + 1} of ${MAX_ATTEMPTS})`);
      await sleep(backoffMs(n, Date.now() - started));
      await catchUpWithOrigin(root, branch);
    }
  }
  throw new EnvironmentError(`gave up after ${MAX_ATTEMPTS} attempts: ${branch} kept moving while committing through the API`, {
    hint: "nothing was committed; give modelgate workflows one concurrency group and re-run"
  });
}
async function landedAs(root, branch, parent, message, files) {
  const tip = await catchUpWithOrigin(root, branch);
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
function retryTuning(env) {
  const ms = Number(env.MODELGATE_RETRY_BASE_MS);
  const timeout = Number(env.MODELGATE_GITHUB_TIMEOUT_MS);
  return {
    ...env.MODELGATE_RETRY_BASE_MS !== void 0 && Number.isFinite(ms) && ms >= 0 ? { backoffMs: ms } : {},
    ...env.MODELGATE_GITHUB_TIMEOUT_MS !== void 0 && Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}
  };
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
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
  commitThroughApi,
  retryTuning,
  teamResolver,
  lazyTeamResolver
};
