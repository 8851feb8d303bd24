import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  prNumberOf,
  runRecord
} from "./chunk-Z5ZVDDIT.js";
import "./chunk-QHKG3R46.js";
import {
  commitMessage
} from "./chunk-NZPMNBFL.js";
import {
  commitThroughApi,
  ensureHistory,
  lazyTeamResolver,
  prApprovals,
  retryTuning,
  writeSummary
} from "./chunk-SNZMZ7LP.js";
import {
  pushWithRetry
} from "./chunk-QRFIWEZO.js";
import "./chunk-ODNNEWFH.js";
import "./chunk-S5WV7FJK.js";
import {
  createGitHub,
  info,
  warning
} from "./chunk-4ZADNPQQ.js";
import "./chunk-7W6ERNLH.js";
import {
  currentBranch
} from "./chunk-YVKSLFLI.js";
import {
  repoRoot
} from "./chunk-EDDH573E.js";
import {
  git
} from "./chunk-I3DWQJNB.js";
import {
  escapeMarkdown
} from "./chunk-L346GJRJ.js";
import {
  auditPath,
  readLayout
} from "./chunk-VA634LOC.js";
import {
  WorktreeState
} from "./chunk-CSPISB7H.js";
import "./chunk-Q5SX3MZI.js";
import {
  EnvironmentError
} from "./chunk-UI47FEJI.js";
import {
  inertLegacy
} from "./chunk-3IOKXNOL.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/action/push.ts
import { resolve } from "node:path";

// src/action/mergedPullRequest.ts
async function mergedPullRequestNumber(root, since, registryDir) {
  if (!since) return void 0;
  const r = await git(["log", "--first-parent", "--format=%s", `${since}..HEAD`, "--", registryDir], { cwd: root });
  const numbers = r.stdout.split("\n").filter(Boolean).map(prNumberOf);
  const [first] = numbers;
  return first !== void 0 && numbers.every((n) => n === first) ? first : void 0;
}
async function approvalsOf(gh, repo, number) {
  const pull = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number });
  return prApprovals(gh, repo, { number, headSha: pull.data.head.sha, author: pull.data.user?.login ?? "" });
}

// src/action/push.ts
var ZERO = /^0{40}$/;
async function onPush(ctx) {
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath));
  await ensureHistory(root, [], { historyRequired: true });
  const since = await sinceOf(root, ctx.payload.before);
  const opts = {
    repo: root,
    format: "text",
    now: /* @__PURE__ */ new Date(),
    env: ctx.env,
    ...since ? { since } : {},
    ...ctx.actor ? { actor: ctx.actor } : {},
    resolveTeam: lazyTeamResolver(ctx)
  };
  const approvals = approvalsOfMerge(ctx, root, since);
  const once = async (commit) => runRecord({ ...opts, ...await approvals(), commit, push: false });
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
function approvalsOfMerge(ctx, root, since) {
  const known = /* @__PURE__ */ new Map();
  const lookUp = async (pr) => {
    try {
      const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
      return { approvals: { kind: "pr", approvers: await approvalsOf(gh, ctx.repository, pr) } };
    } catch (err) {
      if (!(err instanceof EnvironmentError)) throw err;
      warning(inertLegacy(`modelgate: could not read the approvals of #${pr} (${err.message}); the records name the PR without its approvers`));
      return {};
    }
  };
  return async () => {
    const layout = await readLayout(new WorktreeState(root));
    const pr = await mergedPullRequestNumber(root, since, layout.registry);
    if (pr === void 0) return {};
    if (!known.has(pr)) known.set(pr, lookUp(pr));
    return known.get(pr);
  };
}
export {
  onPush
};
