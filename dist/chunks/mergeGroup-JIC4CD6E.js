import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  publishCheck
} from "./chunk-AVS2ZI3N.js";
import {
  prApprovals,
  retryTuning,
  teamResolver
} from "./chunk-W32UYO64.js";
import {
  ensureHistory
} from "./chunk-WMLXBDXE.js";
import "./chunk-VEV7GLFQ.js";
import "./chunk-KJYE4KVK.js";
import {
  runCheck
} from "./chunk-MFRRL4OI.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import {
  createGitHub,
  info
} from "./chunk-4UTOWC7N.js";
import "./chunk-DC2BPCUF.js";
import "./chunk-OXAEU5UG.js";
import "./chunk-ECHALH7R.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import "./chunk-WVHT4QIA.js";
import {
  git
} from "./chunk-SO4SZRZT.js";
import "./chunk-UVN7TA7M.js";
import "./chunk-AKFKUSU4.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import "./chunk-YCT3Q6AA.js";
import "./chunk-JVJNO3D2.js";
import "./chunk-27FDAS2B.js";
import "./chunk-HYWAOBHT.js";
import "./chunk-JOPA73JY.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-PYSCYDZ7.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/action/mergeGroup.ts
import { resolve } from "node:path";
var SHA = /^[0-9a-f]{40}$/;
var QUEUE_REF = /^refs\/heads\/gh-readonly-queue\/(.+)\/pr-([1-9][0-9]*)-([0-9a-f]{40})$/;
function mergeGroupOf(payload) {
  const g = payload.merge_group;
  const baseSha = g?.base_sha;
  const headSha = g?.head_sha;
  const headRef = g?.head_ref;
  if (typeof baseSha !== "string" || !SHA.test(baseSha) || typeof headSha !== "string" || !SHA.test(headSha) || typeof headRef !== "string") {
    throw new InputError("the merge_group event payload lacks merge_group.base_sha, head_sha or head_ref: modelgate cannot judge this merge group", {
      hint: "run the gate on `on: merge_group` events as GitHub sends them; the group is not allowed unjudged"
    });
  }
  const m = QUEUE_REF.exec(headRef);
  if (!m) {
    throw new InputError(`merge_group.head_ref '${headRef}' is not a merge queue ref (refs/heads/gh-readonly-queue/<base>/pr-<number>-<sha>): no queued pull request to take approvals from`);
  }
  if (typeof g?.base_ref === "string" && g.base_ref !== `refs/heads/${m[1]}`) {
    throw new InputError(`merge_group.head_ref '${headRef}' does not queue onto merge_group.base_ref '${g.base_ref}'`);
  }
  return { baseSha, headSha, pr: Number(m[2]) };
}
async function onMergeGroup(ctx) {
  const group = mergeGroupOf(ctx.payload);
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
  const checkedOut = (await git(["rev-parse", "HEAD"], { cwd: root })).stdout.trim();
  if (checkedOut !== group.headSha) {
    throw new InputError(`the checkout is at ${checkedOut.slice(0, 12)}, not the merge group commit ${group.headSha.slice(0, 12)}: modelgate judges the commit that merges`, {
      hint: "check out the merge group commit (actions/checkout does on merge_group events)"
    });
  }
  await ensureHistory(root, [group.baseSha]);
  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const pull = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...ctx.repository, pull_number: group.pr });
  const { approvers, withoutWriteAccess } = await prApprovals(gh, ctx.repository, { number: group.pr, headSha: pull.data.head.sha, author: pull.data.user?.login ?? "" });
  info(`modelgate: judging merge group ${group.headSha.slice(0, 12)} (queued #${group.pr}) against ${group.baseSha.slice(0, 12)}`);
  const outcome = await runCheck({
    repo: root,
    format: "markdown",
    now: /* @__PURE__ */ new Date(),
    env: ctx.env,
    base: group.baseSha,
    head: "HEAD",
    approvals: { kind: "pr", approvers, withoutWriteAccess },
    resolveTeam: teamResolver(gh)
  });
  if (outcome.faults.length) return { decision: outcome.decision, faults: outcome.faults };
  const { reportPath } = await publishCheck(ctx, outcome.report);
  const report = outcome.report;
  return { decision: report.decision, reportPath };
}
export {
  mergeGroupOf,
  onMergeGroup
};
