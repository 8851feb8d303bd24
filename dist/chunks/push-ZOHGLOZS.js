import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  commitThroughApi,
  lazyTeamResolver,
  prApprovals,
  retryTuning
} from "./chunk-DRBADZTQ.js";
import {
  ensureHistory,
  writeSummary
} from "./chunk-CYNP7M5A.js";
import {
  runRecord
} from "./chunk-7LMYJZFH.js";
import "./chunk-AUELWHNM.js";
import {
  pushWithRetry
} from "./chunk-PWE5H2PI.js";
import {
  commitMessage
} from "./chunk-THFAKQNJ.js";
import "./chunk-PSTS34UA.js";
import "./chunk-SG6UO6YZ.js";
import "./chunk-S5WV7FJK.js";
import {
  createGitHub,
  info,
  warning
} from "./chunk-4UTOWC7N.js";
import "./chunk-DC2BPCUF.js";
import "./chunk-7YQU4PSJ.js";
import "./chunk-TBOHN3PD.js";
import {
  currentBranch,
  repoRoot
} from "./chunk-B3B7KCWZ.js";
import "./chunk-ZZEXEN6S.js";
import "./chunk-SO4SZRZT.js";
import "./chunk-2QVUTHZK.js";
import "./chunk-FV3CB3JQ.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import "./chunk-PNMDNJGF.js";
import {
  escapeMarkdown
} from "./chunk-JVJNO3D2.js";
import {
  WorktreeState,
  auditPath,
  readLayout
} from "./chunk-G62P4OLM.js";
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
  const once = async (commit) => runRecord({ ...opts, commit, push: false });
  let out = { records: [], bypassed: [] };
  if (ctx.inputs.commitMode === "api") {
    const commit = await commitThroughApi(ctx, root, async () => {
      out = await once(false);
      if (out.records.length === 0) return void 0;
      const layout = await readLayout(new WorktreeState(root));
      const models = [...new Set(out.records.map((r) => r.model))];
      const n = out.records.length;
      return { files: models.map((m) => auditPath(layout, m)), message: commitMessage(out.records, `Recorded ${n} transition${n === 1 ? "" : "s"} merged without an audit record.`) };
    });
    if (commit) out = { ...out, commit };
  } else {
    await pushWithRetry(root, {
      branch: await currentBranch(root),
      apply: async () => {
        out = await once(true);
        return { committed: out.commit !== void 0 };
      },
      onRetry: ({ attempt, attempts }) => info(`modelgate: the branch moved; recording again on the new tip (attempt ${attempt + 1} of ${attempts})`)
    });
  }
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
