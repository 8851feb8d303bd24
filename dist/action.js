import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  getInput,
  info,
  scrub,
  setFailed,
  setOutput,
  setSecret,
  summary
} from "./chunks/chunk-4UTOWC7N.js";
import "./chunks/chunk-DC2BPCUF.js";
import {
  exitOnSignals,
  exitWhenDone,
  isSupervisedChild,
  stopWithParent,
  superviseSelf
} from "./chunks/chunk-ZG3Z3CEY.js";
import {
  exitCodeOf,
  failed
} from "./chunks/chunk-BSSGNPR6.js";
import "./chunks/chunk-OXAEU5UG.js";
import {
  InputError,
  ModelgateError,
  formatError
} from "./chunks/chunk-RTQ2UXCO.js";
import {
  inertLegacy
} from "./chunks/chunk-PYSCYDZ7.js";
import "./chunks/chunk-CCN2QAD7.js";

// src/action/context.ts
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
function bool(name, dflt) {
  const v = getInput(name).trim().toLowerCase();
  if (v === "") return dflt;
  if (["true", "yes", "1"].includes(v)) return true;
  if (["false", "no", "0"].includes(v)) return false;
  throw new InputError(`input '${name}' must be true or false, got '${v}'`);
}
var TOKEN_VAR = "INPUT_GITHUB-TOKEN";
function readContext(env = process.env) {
  const token = getInput("github-token");
  if (token) setSecret(token);
  delete env[TOKEN_VAR];
  const commitMode = (getInput("commit-mode") || "git").trim().toLowerCase();
  if (commitMode !== "git" && commitMode !== "api") throw new InputError(`input 'commit-mode' must be git or api, got '${commitMode}'`);
  const sync = getInput("sync").trim().toLowerCase();
  if (sync !== "" && sync !== "mlflow") throw new InputError(`input 'sync' must be mlflow or empty, got '${sync}'`, { hint: "sync: mlflow keeps the MLflow Model Registry in step with git after each pushed decision" });
  const inputs = {
    command: (getInput("command") || "auto").trim().toLowerCase(),
    model: getInput("model").trim(),
    version: getInput("version").trim(),
    to: getInput("to").trim(),
    reason: getInput("reason"),
    alias: getInput("alias").trim(),
    repoPath: getInput("repo-path").trim() || ".",
    token,
    comment: bool("comment", true),
    failOnDeny: bool("fail-on-deny", true),
    commitMode,
    allowAnyRef: bool("allow-any-ref", false),
    sync
  };
  const eventPath = env.GITHUB_EVENT_PATH;
  let payload = {};
  if (eventPath) {
    try {
      payload = JSON.parse(readFileSync(eventPath, "utf8"));
    } catch (err) {
      throw new InputError(`cannot read the event payload ${eventPath}: ${err.message}`);
    }
  }
  const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const commandEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith("INPUT_")) commandEnv[k] = v;
  return {
    inputs,
    eventName: env.GITHUB_EVENT_NAME ?? "",
    payload,
    repository: { owner, repo },
    ref: env.GITHUB_REF ?? (typeof payload.ref === "string" ? payload.ref : ""),
    actor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || "",
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    workspace,
    tempDir: env.RUNNER_TEMP ?? resolve(workspace, ".."),
    env: commandEnv
  };
}

// src/action/plan.ts
var DECISIONS = ["promote", "archive", "rollback", "register"];
var CHECK_EVENTS = ["pull_request", "pull_request_review"];
function planFor(ctx) {
  const c = ctx.inputs.command;
  const event = ctx.eventName || "unknown";
  if (c === "auto") {
    if (CHECK_EVENTS.includes(event)) return { kind: "check" };
    if (event === "merge_group") return { kind: "merge-group" };
    if (event === "push") return pushPlan(ctx);
    if (event === "workflow_dispatch") {
      throw new InputError("workflow_dispatch needs the 'command' input: promote, archive, rollback or register", {
        hint: "pass command: ${{ inputs.command }} (or a fixed command) to the modelgate step"
      });
    }
    if (event === "pull_request_target") throw pullRequestTarget();
    return { kind: "none", why: `nothing to do on '${event}' events with command 'auto'` };
  }
  if (c === "check") {
    if (event === "pull_request_target") throw pullRequestTarget();
    if (event === "merge_group") return { kind: "merge-group" };
    if (!CHECK_EVENTS.includes(event)) throw new InputError(`command 'check' runs on pull_request, pull_request_review and merge_group events, not '${event}'`, { hint: "run `modelgate check` with the CLI for other checks" });
    return { kind: "check" };
  }
  if (c === "record") return { kind: "record" };
  const decision = DECISIONS.find((d) => d === c);
  if (decision) return { kind: "decide", command: decision };
  throw new InputError(`unknown command '${c}'`, { hint: `use auto, check, record, ${DECISIONS.join(", ")}` });
}
function pushPlan(ctx) {
  const p = ctx.payload;
  if (p.deleted) return { kind: "none", why: "the push deleted a branch" };
  const main = p.repository?.default_branch;
  if (main && p.ref !== `refs/heads/${main}`) return { kind: "none", why: `push to ${p.ref ?? "an unknown ref"}: modelgate records pushes to the default branch (${main})` };
  return { kind: "record" };
}
function pullRequestTarget() {
  return new InputError("modelgate does not gate pull_request_target events", {
    hint: "use on: pull_request. pull_request_target runs with a write token next to untrusted PR content; fork PRs get their report in the job summary instead of a comment"
  });
}

// src/action/main.ts
async function run() {
  let token = "";
  let failOnDeny = true;
  let o;
  try {
    const ctx = readContext();
    token = ctx.inputs.token;
    failOnDeny = ctx.inputs.failOnDeny;
    o = await runPlan(ctx, planFor(ctx));
  } catch (err) {
    o = failed(err);
  }
  await settle(o, { token, failOnDeny });
}
async function runPlan(ctx, plan) {
  if (plan.kind === "none") {
    info(`modelgate: ${plan.why}`);
    return {};
  }
  if (plan.kind === "check") {
    const { onPullRequest } = await import("./chunks/pullRequest-NHQ6WDZD.js");
    return { ...await onPullRequest(ctx), deniedLine: "modelgate: the policy denied at least one transition (see the report in the job summary)" };
  }
  if (plan.kind === "merge-group") {
    const { onMergeGroup } = await import("./chunks/mergeGroup-JIC4CD6E.js");
    return { ...await onMergeGroup(ctx), deniedLine: "modelgate: the policy denied at least one transition of the merge group (see the report in the job summary)" };
  }
  const { assertSyncReady, assertSyncRef, syncAfterPush } = await import("./chunks/sync-3R7W5ECV.js");
  assertSyncReady(ctx);
  assertSyncRef(ctx, plan.kind);
  if (plan.kind === "record") {
    const { onPush } = await import("./chunks/push-WIJQF7XK.js");
    const pushed = await onPush(ctx);
    await syncAfterPush(ctx, { since: ctx.payload.before });
    return { decision: "allow", ...pushed };
  }
  const { onDispatch } = await import("./chunks/dispatch-7G3GMAUB.js");
  const decided = await onDispatch(ctx, plan.command);
  if (decided.decision === "allow") await syncAfterPush(ctx, { model: ctx.inputs.model });
  return { ...decided, deniedLine: `modelgate: ${plan.command} denied by policy (see the report in the job summary)` };
}
async function settle(o, opts) {
  const fault = o.faults?.[0];
  if (fault !== void 0) {
    setOutput("decision", "error");
    const text = fault instanceof ModelgateError ? formatError(fault) : `internal error: ${fault?.message ?? String(fault)}`;
    setFailed(inertLegacy(scrub(text, opts.token)));
    await summarizeFailure(scrub(text, opts.token));
    process.exitCode = exitCodeOf(o);
    return;
  }
  if (o.decision === void 0) return;
  setOutput("decision", o.decision);
  if (o.reportPath !== void 0) setOutput("report-path", o.reportPath);
  if (o.commitSha) setOutput("commit-sha", o.commitSha);
  if (o.decision === "deny" && opts.failOnDeny) {
    setFailed(o.deniedLine ?? "modelgate: denied by policy");
    process.exitCode = exitCodeOf(o);
  }
}
function nothingToDo() {
  try {
    return planFor(readContext({ ...process.env })).kind === "none";
  } catch {
    return false;
  }
}
async function summarizeFailure(text) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    const { escapeMarkdown } = await import("./chunks/markdown-T4K7CPE4.js");
    const lines = text.split("\n").map((l) => escapeMarkdown(l.trim()));
    await summary.addRaw(`### modelgate could not judge: nothing was allowed

${lines.join("<br>\n")}
`).write();
  } catch {
  }
}
var stopped = (line) => {
  setOutput("decision", "error");
  setFailed(line);
};
if (isSupervisedChild() || nothingToDo()) {
  exitOnSignals(stopped);
  stopWithParent();
  void run().finally(exitWhenDone);
} else {
  superviseSelf(stopped);
}
