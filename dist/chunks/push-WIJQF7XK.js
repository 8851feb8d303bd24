import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  lazyTeamResolver,
  prApprovals,
  publisherOf,
  retryTuning
} from "./chunk-W32UYO64.js";
import {
  ensureHistory,
  writeSummary
} from "./chunk-WMLXBDXE.js";
import {
  runRecord
} from "./chunk-GHVLZZZX.js";
import "./chunk-BBTD4EPZ.js";
import "./chunk-HCY2ODEW.js";
import "./chunk-VEV7GLFQ.js";
import "./chunk-KJYE4KVK.js";
import "./chunk-MFRRL4OI.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import {
  createGitHub,
  info,
  warning
} from "./chunk-4UTOWC7N.js";
import "./chunk-DC2BPCUF.js";
import "./chunk-BSSGNPR6.js";
import "./chunk-OXAEU5UG.js";
import "./chunk-VR3S7AYC.js";
import "./chunk-ECHALH7R.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import "./chunk-WVHT4QIA.js";
import "./chunk-SO4SZRZT.js";
import "./chunk-UVN7TA7M.js";
import "./chunk-AKFKUSU4.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import {
  escapeMarkdown
} from "./chunk-JVJNO3D2.js";
import "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";
import {
  inertLegacy
} from "./chunk-PYSCYDZ7.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/action/push.ts
import { resolve } from "node:path";

// src/action/mergedPullRequest.ts
async function mergedPullRequestOf(gh, repo, sha) {
  const pulls = await gh.paginate("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", { ...repo, commit_sha: sha });
  const merged = pulls.filter((p2) => typeof p2.merged_at === "string" && p2.merged_at !== "");
  const byMerge = merged.filter((p2) => p2.merge_commit_sha === sha);
  const candidates = byMerge.length ? byMerge : merged.filter((p2) => p2.head?.sha === sha);
  if (candidates.length !== 1) return void 0;
  const p = candidates[0];
  return { number: p.number, headSha: p.head.sha, author: p.user?.login ?? "" };
}
function approvalsOf(gh, repo, pull) {
  return prApprovals(gh, repo, { number: pull.number, headSha: pull.headSha, author: pull.author });
}
function attributionFromGitHub(gh, repo) {
  return async (sha) => {
    const api = await gh();
    const pull = await mergedPullRequestOf(api, repo, sha);
    if (!pull) return { approvals: { kind: "unattributed", commit: sha } };
    return { pr: pull.number, approvals: { kind: "pr", ...await approvalsOf(api, repo, pull) } };
  };
}

// src/action/push.ts
var ZERO = /^0{40}$/;
async function onPush(ctx) {
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
  await ensureHistory(root, [], { historyRequired: true });
  const since = await sinceOf(root, ctx.payload.before);
  const opts = {
    repo: root,
    format: "text",
    now: /* @__PURE__ */ new Date(),
    env: ctx.env,
    ...since ? { since } : {},
    ...ctx.actor ? { actor: ctx.actor } : {},
    resolveTeam: lazyTeamResolver(ctx),
    // Per recorded commit (a retry on a newer tip may bring more merges), from GitHub.
    attribute: attributionFromGitHub(lazyGitHub(ctx), ctx.repository)
  };
  const out = await runRecord({
    ...opts,
    push: true,
    publisher: publisherOf(ctx),
    onRetry: (text) => info(`modelgate: ${text}`)
  });
  if (out.faults.length) return { recorded: 0, faults: out.faults };
  for (const b of out.bypassed) {
    warning(inertLegacy(`modelgate: ${b.model} v${b.version} was merged in ${b.commit.slice(0, 12)} with failing checks: ${b.failed.join(", ")} (recorded as merged)`));
  }
  const summary = out.records.length ? [`### modelgate recorded ${out.records.length} transition${out.records.length === 1 ? "" : "s"}`, "", ...out.records.map((r) => `- ${escapeMarkdown(`${r.model} v${r.version}: ${r.from ?? "new"} -> ${r.to} (${r.source?.commit?.slice(0, 12) ?? ""})`)}`)] : ["### modelgate: nothing to record"];
  if (out.commit) summary.push("", `Audit commit: \`${out.commit}\``);
  await writeSummary(summary.join("\n"));
  info(out.records.length ? `modelgate: recorded ${out.records.length} transition(s)${out.commit ? ` in ${out.commit}` : ""}` : "modelgate: nothing to record");
  return { ...out.commit ? { commitSha: out.commit } : {}, recorded: out.records.length };
}
async function sinceOf(root, before) {
  if (typeof before !== "string" || ZERO.test(before)) return void 0;
  try {
    await ensureHistory(root, [before]);
    return before;
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    warning(`modelgate: the push's previous tip ${before.slice(0, 12)} is not on origin (a force push?); recording every transition that has no record yet`);
    return void 0;
  }
}
function lazyGitHub(ctx) {
  let gh;
  return () => gh ??= createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
}
export {
  onPush
};
