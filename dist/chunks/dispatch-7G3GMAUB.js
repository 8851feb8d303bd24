import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  lazyTeamResolver,
  publisherOf
} from "./chunk-W32UYO64.js";
import {
  ensureHistory,
  writeSummary
} from "./chunk-WMLXBDXE.js";
import {
  archive,
  promote,
  register,
  rollback
} from "./chunk-6QXEZ6NE.js";
import "./chunk-SJ2Z7QRL.js";
import "./chunk-BBTD4EPZ.js";
import {
  ciRunUrl
} from "./chunk-HCY2ODEW.js";
import "./chunk-VEV7GLFQ.js";
import "./chunk-KJYE4KVK.js";
import "./chunk-WH5TWHOG.js";
import "./chunk-MFRRL4OI.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-2UQMGH7H.js";
import {
  info
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
  SUMMARY_LIMIT_BYTES,
  renderCheck,
  trimMarkdown
} from "./chunk-YCT3Q6AA.js";
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

// src/action/dispatch.ts
import { join, resolve } from "node:path";
import { writeFile } from "node:fs/promises";
async function onDispatch(ctx, command) {
  const { inputs } = ctx;
  if (!inputs.model) throw new InputError(`input 'model' is required for ${command}`);
  if (!ctx.actor) throw new InputError("no actor: GITHUB_ACTOR is not set", { hint: "run the Action in GitHub Actions" });
  assertDefaultBranch(ctx, command);
  const decide = decisionOf(ctx, command);
  const root = await repoRoot(resolve(ctx.workspace, inputs.repoPath), { within: ctx.workspace });
  await ensureHistory(root);
  const runUrl = ciRunUrl(ctx.env);
  const opts = {
    repo: root,
    format: "markdown",
    now: /* @__PURE__ */ new Date(),
    env: ctx.env,
    actor: ctx.actor,
    ...inputs.reason.trim() ? { reason: inputs.reason } : {},
    source: { approvals: [ctx.actor], ...runUrl ? { run_url: runUrl } : {} },
    resolveTeam: lazyTeamResolver(ctx)
  };
  const outcome = await decide({ ...opts, commit: true, push: true, publisher: publisherOf(ctx), onRetry: (text) => info(`modelgate: ${text}`) });
  if (outcome.faults.length) return { decision: outcome.decision, faults: outcome.faults };
  const markdown = renderCheck(outcome.report, "markdown", { color: false });
  const reportPath = join(ctx.tempDir, "modelgate-report.md");
  await writeFile(reportPath, markdown);
  await writeSummary(trimMarkdown(markdown, SUMMARY_LIMIT_BYTES));
  info(renderCheck(outcome.report, "text", { color: false }));
  if (outcome.commit) info(`modelgate: ${command} committed as ${outcome.commit}`);
  return { decision: outcome.report.decision, reportPath, ...outcome.commit ? { commitSha: outcome.commit } : {} };
}
function assertDefaultBranch(ctx, command) {
  if (ctx.inputs.allowAnyRef) return;
  const main = ctx.payload.repository?.default_branch;
  if (typeof main !== "string" || main === "") {
    throw new InputError(`cannot tell whether ${ctx.ref || "this ref"} is the default branch: the event payload has no repository.default_branch`, {
      hint: `run ${command} from a workflow_dispatch on the default branch, or pass allow-any-ref: true to allow any ref`
    });
  }
  if (ctx.ref !== `refs/heads/${main}`) {
    throw new InputError(`${command} runs only on the default branch (refs/heads/${main}); this run is on '${ctx.ref || "no ref"}'`, {
      hint: `dispatch the workflow on ${main} (policies are read from the dispatched ref), or pass allow-any-ref: true to allow other refs`
    });
  }
}
function decisionOf(ctx, command) {
  const { inputs } = ctx;
  if ((command === "archive" || command === "rollback") && !inputs.reason.trim()) {
    throw new InputError(`${command} needs a reason`, { hint: "pass the 'reason' input (it is kept in the audit record and the commit message)" });
  }
  const version = () => {
    if (!/^[1-9][0-9]*$/.test(inputs.version)) throw new InputError(`input 'version' must be a version number, got '${inputs.version}'`);
    return Number(inputs.version);
  };
  switch (command) {
    case "promote": {
      if (!inputs.to) throw new InputError("input 'to' is required for promote (a stage or @alias)");
      const v = version();
      return (o) => promote(o, inputs.model, v, inputs.to, inputs.alias || void 0);
    }
    case "archive": {
      const v = version();
      return (o) => archive(o, inputs.model, v);
    }
    case "rollback": {
      const target = { ...inputs.version ? { to: version() } : {}, ...inputs.alias ? { alias: inputs.alias.replace(/^@/, "") } : {} };
      return (o) => rollback(o, inputs.model, target);
    }
    case "register":
      if (!inputs.to) throw new InputError("input 'to' carries the run reference for register");
      return (o) => register(o, inputs.model, inputs.to, void 0);
  }
}
export {
  onDispatch
};
