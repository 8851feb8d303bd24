import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  archive,
  promote,
  register,
  rollback
} from "./chunk-E7IC34JO.js";
import "./chunk-PDKZUP26.js";
import "./chunk-QHKG3R46.js";
import {
  ciRunUrl,
  commitMessage
} from "./chunk-NZPMNBFL.js";
import {
  commitThroughApi,
  ensureHistory,
  lazyTeamResolver,
  writeSummary
} from "./chunk-SNZMZ7LP.js";
import "./chunk-QRFIWEZO.js";
import "./chunk-ODNNEWFH.js";
import "./chunk-S5WV7FJK.js";
import {
  info
} from "./chunk-4ZADNPQQ.js";
import "./chunk-7W6ERNLH.js";
import "./chunk-YVKSLFLI.js";
import {
  repoRoot
} from "./chunk-EDDH573E.js";
import "./chunk-I3DWQJNB.js";
import {
  SUMMARY_LIMIT_BYTES,
  renderCheck,
  trimMarkdown
} from "./chunk-PUNZ2S6X.js";
import "./chunk-L346GJRJ.js";
import {
  auditPath,
  manifestPath,
  readLayout
} from "./chunk-VA634LOC.js";
import {
  WorktreeState
} from "./chunk-CSPISB7H.js";
import "./chunk-Q5SX3MZI.js";
import {
  InputError
} from "./chunk-UI47FEJI.js";
import "./chunk-3IOKXNOL.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/action/dispatch.ts
import { join, resolve } from "node:path";
import { writeFile } from "node:fs/promises";
async function onDispatch(ctx, command) {
  const { inputs } = ctx;
  if (!inputs.model) throw new InputError(`input 'model' is required for ${command}`);
  if (!ctx.actor) throw new InputError("no actor: GITHUB_ACTOR is not set", { hint: "run the Action in GitHub Actions" });
  const decide = decisionOf(ctx, command);
  const root = await repoRoot(resolve(ctx.workspace, inputs.repoPath));
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
  let outcome;
  if (inputs.commitMode === "api") {
    let last;
    const commit = await commitThroughApi(ctx, root, async () => {
      last = await decide({ ...opts, commit: false, push: false });
      if (!last.written) return void 0;
      const layout = await readLayout(new WorktreeState(root));
      return { files: [manifestPath(layout, inputs.model), auditPath(layout, inputs.model)], message: commitMessage(last.records, opts.reason) };
    });
    outcome = { ...last, ...commit ? { commit } : {} };
  } else {
    outcome = await decide({ ...opts, commit: true, push: true });
  }
  const markdown = renderCheck(outcome.report, "markdown", { color: false });
  const reportPath = join(ctx.tempDir, "modelgate-report.md");
  await writeFile(reportPath, markdown);
  await writeSummary(trimMarkdown(markdown, SUMMARY_LIMIT_BYTES));
  info(renderCheck(outcome.report, "text", { color: false }));
  if (outcome.commit) info(`modelgate: ${command} committed as ${outcome.commit}`);
  return { decision: outcome.report.decision, reportPath, ...outcome.commit ? { commitSha: outcome.commit } : {} };
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
      return (o) => promote(o, inputs.model, v, inputs.to);
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
