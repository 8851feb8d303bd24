import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prApprovals,
  retryTuning,
  teamResolver
} from "./chunk-W32UYO64.js";
import {
  ensureHistory,
  writeSummary
} from "./chunk-WMLXBDXE.js";
import {
  runCheck
} from "./chunk-MFRRL4OI.js";
import {
  GitHubApiError,
  createGitHub,
  error,
  info,
  warning
} from "./chunk-4UTOWC7N.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  COMMENT_LIMIT_CHARS,
  SUMMARY_LIMIT_BYTES,
  renderCheck,
  trimMarkdown
} from "./chunk-YCT3Q6AA.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";
import {
  inertLegacy
} from "./chunk-PYSCYDZ7.js";

// src/action/pullRequest.ts
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

// src/github/comment.ts
var COMMENT_MARKER = "<!-- modelgate-report -->";
var ACTIONS_BOT_LOGIN = "github-actions[bot]";
async function ownLogin(gh) {
  try {
    const r = await gh.graphql("query { viewer { login } }");
    return r.viewer?.login || ACTIONS_BOT_LOGIN;
  } catch (err) {
    if (err instanceof GitHubApiError && !err.outage) return ACTIONS_BOT_LOGIN;
    throw err;
  }
}
async function upsertComment(gh, repo, issueNumber, body, opts = {}) {
  const me = (await ownLogin(gh)).toLowerCase();
  const comments = await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber });
  const mine = comments.filter((c) => c.user?.login.toLowerCase() === me && (c.body ?? "").includes(COMMENT_MARKER)).pop();
  const full = `${COMMENT_MARKER}
${body}`;
  if (mine) {
    await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: mine.id, body: full });
    return { id: mine.id, created: false };
  }
  if (opts.create === false) return void 0;
  const r = await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, body: full });
  return { id: r.data.id, created: true };
}

// src/action/pullRequest.ts
async function publishCheck(ctx, report) {
  const markdown = renderCheck(report, "markdown", { color: false });
  const reportPath = join(ctx.tempDir, "modelgate-report.md");
  await writeFile(reportPath, markdown);
  await writeSummary(trimMarkdown(markdown, SUMMARY_LIMIT_BYTES));
  info(renderCheck(report, "text", { color: false }));
  annotate(report);
  return { markdown, reportPath };
}
function pullRequestOf(payload) {
  const pr = payload.pull_request;
  const number = pr?.number;
  const baseSha = pr?.base?.sha;
  const headSha = pr?.head?.sha;
  if (typeof number !== "number" || typeof baseSha !== "string" || typeof headSha !== "string") {
    throw new InputError("the pull_request event payload lacks pull_request.number, base.sha or head.sha", {
      hint: "run the gate on `on: pull_request` events"
    });
  }
  return { number, author: typeof pr?.user?.login === "string" ? pr.user.login : "", baseSha, headSha };
}
async function onPullRequest(ctx) {
  const pr = pullRequestOf(ctx.payload);
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
  await ensureHistory(root, [pr.baseSha]);
  const base = await baseOf(root, pr);
  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const { approvers, withoutWriteAccess } = await prApprovals(gh, ctx.repository, { number: pr.number, headSha: pr.headSha, author: pr.author });
  const outcome = await runCheck({
    repo: root,
    format: "markdown",
    now: /* @__PURE__ */ new Date(),
    env: ctx.env,
    base,
    // The checked-out PR commit, read from git objects: what merges is the commit, and any
    // question about the working tree makes git load its whole index (seconds and ~700 MB for
    // a checkout of 1.8M run files, whatever the pathspec). See bench/README.md, check_small_pr.
    head: "HEAD",
    approvals: { kind: "pr", approvers, withoutWriteAccess },
    resolveTeam: teamResolver(gh)
  });
  if (outcome.faults.length) return { decision: outcome.decision, faults: outcome.faults };
  const report = outcome.report;
  const { markdown, reportPath } = await publishCheck(ctx, report);
  const judged = report.transitions.length > 0 || (report.checks ?? []).length > 0;
  if (ctx.inputs.comment) await comment(gh, ctx, pr.number, trimMarkdown(markdown, COMMENT_LIMIT_CHARS), judged);
  return { decision: report.decision, reportPath };
}
async function baseOf(root, pr) {
  const r = await git(["rev-list", "--parents", "-n", "1", "HEAD"], { cwd: root });
  const [, first, second, ...more] = r.stdout.trim().split(" ");
  if (first && second === pr.headSha && more.length === 0 && first !== pr.baseSha) {
    info(`modelgate: judging against ${first.slice(0, 12)}, the base commit of the checked-out merge (the event's base.sha ${pr.baseSha.slice(0, 12)} is older)`);
    return first;
  }
  return pr.baseSha;
}
function annotate(report) {
  for (const t of report.transitions) {
    if (t.decision !== "deny") continue;
    const failed = t.checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.message}`);
    error(inertLegacy(`modelgate: ${t.model} v${t.version} ${t.from ?? "new"} -> ${t.to ?? "removed"} denied: ${failed.join("; ")}`), {
      ...t.file ? { file: t.file } : {},
      ...t.line ? { startLine: t.line } : {}
    });
  }
  for (const c of report.checks ?? []) {
    if (c.status === "fail") error(inertLegacy(`modelgate: ${c.id}: ${c.message}`));
    else if (c.status === "warn") warning(inertLegacy(`modelgate: ${c.id}: ${c.message}`));
  }
}
async function comment(gh, ctx, number, body, create) {
  try {
    await upsertComment(gh, ctx.repository, number, body, { create });
  } catch (err) {
    if (err instanceof GitHubApiError && !err.outage && (err.status === 403 || err.status === 404)) {
      warning(
        `modelgate could not comment on the pull request (HTTP ${err.status}): the token is read-only, as it is for pull requests from forks. The report is in the job summary and in the annotations.`
      );
      return;
    }
    throw err;
  }
}

export {
  publishCheck,
  pullRequestOf,
  onPullRequest,
  annotate
};
