#!/usr/bin/env node
import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  exitAfterBudget,
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
  printable
} from "./chunks/chunk-JOPA73JY.js";
import {
  InputError,
  ModelgateError,
  escapeMessage,
  formatError
} from "./chunks/chunk-RTQ2UXCO.js";
import {
  inertLegacy
} from "./chunks/chunk-PYSCYDZ7.js";
import "./chunks/chunk-CCN2QAD7.js";

// src/cli/main.ts
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { statSync } from "node:fs";

// src/cli/commands.ts
var report = () => import("./chunks/check-QUEEX36L.js");
var decisionFlags = {
  reason: { type: "string" },
  actor: { type: "string" },
  "dry-run": { type: "boolean" },
  commit: { type: "boolean" },
  push: { type: "boolean" }
};
var decisionHelp = `  --reason TEXT   why (kept in the audit record and the commit message)
  --actor NAME    who decides (default: GITHUB_ACTOR, else git user.name)
  --dry-run       judge and show, write nothing
  --commit        commit the manifest and audit changes, with trailers
  --push          commit and push; on rejection re-judge on the new tip (5 tries)`;
function versionArg(s) {
  if (!/^[1-9][0-9]{0,8}$/.test(s)) throw new InputError(`'${s}' is not a version number`, { hint: "versions are positive integers, e.g. 3" });
  return Number(s);
}
function decisionOptions(values, common, io2) {
  return {
    ...common,
    ...typeof values.reason === "string" ? { reason: values.reason } : {},
    ...typeof values.actor === "string" ? { actor: values.actor } : {},
    dryRun: values["dry-run"] === true,
    commit: values.commit === true,
    push: values.push === true,
    onProgress: (t) => io2.err(t)
  };
}
async function printDecision(o, common, io2, dryRun) {
  if (o.faults.length) return o;
  const { renderCheck } = await report();
  if (common.format === "json") {
    const { toJson } = await import("./chunks/text-5N3EI7KQ.js");
    io2.out(toJson({ ...JSON.parse(renderCheck(o.report, "json", { color: false })), written: o.written, commit: o.commit ?? null, records: o.records }));
  } else {
    io2.out(renderCheck(o.report, common.format, { color: io2.color }));
    if (o.written) {
      const what = o.records.map((r) => `${r.model} v${r.version} ${r.from ?? "new"} -> ${r.to}`).join("; ");
      io2.out(`recorded: ${what}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ""}`);
    } else if (dryRun && o.decision === "allow") {
      io2.out("dry run: nothing was written");
    } else if (o.decision === "deny") {
      io2.out("denied: nothing was written");
    }
  }
  return o;
}
var COMMANDS = [
  {
    name: "validate",
    summary: "check config, manifests and policies against their schemas and invariants",
    usage: "modelgate validate [--repo DIR] [--format text|json]",
    options: {},
    positionals: [0, 0],
    async run({ common, io: io2 }) {
      const { runValidate, renderValidate } = await import("./chunks/validate-JMNXPJNR.js");
      const o = await runValidate(common);
      const text = renderValidate(o, common.format);
      if (o.errors.length && common.format !== "json") io2.err(text);
      else io2.out(text);
      return { invalid: o.errors.length > 0 };
    }
  },
  {
    name: "status",
    summary: "stages, aliases and headline metrics of each model",
    usage: "modelgate status [<model>] [--repo DIR] [--format text|json|markdown]",
    options: {},
    positionals: [0, 1],
    async run({ positionals, common, io: io2 }) {
      const [{ runStatus }, { renderStatus }] = await Promise.all([import("./chunks/status-VQ4SSBKW.js"), import("./chunks/status-M6JEX727.js")]);
      const views = await runStatus({ ...common, ...positionals[0] ? { model: positionals[0] } : {} });
      io2.out(renderStatus(views, common.format, { color: io2.color }));
      return {};
    }
  },
  {
    name: "resolve",
    summary: "print the artifact URI and digest of models:/name@alias, models:/name/Stage or models:/name/N",
    usage: "modelgate resolve <models:/name@alias | models:/name/Stage | models:/name/N> [--repo DIR] [--format text|json]",
    options: {},
    positionals: [1, 1],
    async run({ positionals, common, io: io2 }) {
      const { runResolve, renderResolved } = await import("./chunks/resolve-ZY34MWPU.js");
      io2.out(renderResolved(await runResolve({ ...common, uri: positionals[0] }), common.format));
      return {};
    }
  },
  {
    name: "check",
    summary: "judge the transitions between two states against the policies (the pull-request gate)",
    usage: `modelgate check [--base REF] [--head REF] [--all] [--repo DIR] [--format text|json|markdown]
  --base REF   the state policies and baselines come from (default HEAD)
  --head REF   the proposed state (default: the working tree)
  --all        re-judge every version's current stage against today's policies (drift report)
  --verbose    list passing checks too (text format)`,
    options: { base: { type: "string" }, head: { type: "string" }, all: { type: "boolean" }, verbose: { type: "boolean" } },
    positionals: [0, 0],
    async run({ values, common, io: io2 }) {
      const [{ runCheck }, { renderCheck }] = await Promise.all([import("./chunks/check-SJIKP5CN.js"), report()]);
      const o = await runCheck({
        ...common,
        ...typeof values.base === "string" ? { base: values.base } : {},
        ...typeof values.head === "string" ? { head: values.head } : {},
        all: values.all === true,
        onProgress: (t) => io2.err(t)
      });
      if (o.faults.length) return o;
      io2.out(renderCheck(o.report, common.format, { color: io2.color, verbose: values.verbose === true }));
      return o;
    }
  },
  {
    name: "register",
    summary: "add the next version of a model (stage None), with its artifact digest",
    usage: `modelgate register <model> --run REF [--artifact URI] [flags]
${decisionHelp}`,
    options: { run: { type: "string" }, artifact: { type: "string" }, ...decisionFlags },
    positionals: [1, 1],
    async run({ values, positionals, common, io: io2 }) {
      if (typeof values.run !== "string") throw new InputError("register needs --run REF", { hint: "e.g. --run mlruns/1/<run_id>, --run runs/x.json, --run s3://bucket/run/, or from a tracking server --run runs:/<run_id> or --run models:/<name>/<version>" });
      const { register } = await import("./chunks/decide-TAQGFLBA.js");
      const o = await register(decisionOptions(values, common, io2), positionals[0], values.run, typeof values.artifact === "string" ? values.artifact : void 0);
      return await printDecision(o, common, io2, values["dry-run"] === true);
    }
  },
  {
    name: "pin",
    summary: "write the evidence digest of every version that has none (a one-time migration, reviewed as a PR)",
    usage: `modelgate pin [<model>] [--dry-run] [--commit]
  --dry-run       compute and show, write nothing
  --commit        commit the manifests`,
    options: { "dry-run": { type: "boolean" }, commit: { type: "boolean" } },
    positionals: [0, 1],
    async run({ values, positionals, common, io: io2 }) {
      const { runPin } = await import("./chunks/pin-3O7CX7X3.js");
      const o = await runPin({ ...common, ...positionals[0] !== void 0 ? { model: positionals[0] } : {}, dryRun: values["dry-run"] === true, commit: values.commit === true });
      const { toJson, printable: printable2 } = await import("./chunks/text-5N3EI7KQ.js");
      if (common.format === "json") {
        io2.out(toJson({ pinned: o.pinned, written: o.written, commit: o.commit ?? null }));
        return {};
      }
      for (const p of o.pinned) io2.out(`${printable2(p.model)} v${p.version}: evidence ${p.evidence}`);
      if (o.pinned.length === 0) io2.out("every version already pins its evidence: nothing to do");
      else if (o.written) io2.out(`pinned ${o.pinned.length} version${o.pinned.length === 1 ? "" : "s"}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ""}`);
      else io2.out("dry run: nothing was written");
      return {};
    }
  },
  {
    name: "promote",
    summary: "judge, then move a version to a stage or alias (entering Production archives the previous one)",
    usage: `modelgate promote <model> <version> --to <Staging|Production|Archived|@alias> [--alias NAME] [flags]
${decisionHelp}`,
    options: { to: { type: "string" }, alias: { type: "string" }, ...decisionFlags },
    positionals: [2, 2],
    async run({ values, positionals, common, io: io2 }) {
      if (typeof values.to !== "string") throw new InputError("promote needs --to <Stage|@alias>", { hint: "e.g. --to Production or --to @champion" });
      const { promote } = await import("./chunks/decide-TAQGFLBA.js");
      const alias = typeof values.alias === "string" ? values.alias : void 0;
      const o = await promote(decisionOptions(values, common, io2), positionals[0], versionArg(positionals[1]), values.to, alias);
      return await printDecision(o, common, io2, values["dry-run"] === true);
    }
  },
  {
    name: "archive",
    summary: "judge, then archive a version",
    usage: `modelgate archive <model> <version> --reason TEXT [flags]
${decisionHelp}`,
    options: { ...decisionFlags },
    positionals: [2, 2],
    async run({ values, positionals, common, io: io2 }) {
      const { archive } = await import("./chunks/decide-TAQGFLBA.js");
      const o = await archive(decisionOptions(values, common, io2), positionals[0], versionArg(positionals[1]));
      return await printDecision(o, common, io2, values["dry-run"] === true);
    }
  },
  {
    name: "rollback",
    summary: "put back the version that held Production (or an alias) before the current one",
    usage: `modelgate rollback <model> [--to VERSION] [--alias NAME] --reason TEXT [flags]
${decisionHelp}`,
    options: { to: { type: "string" }, alias: { type: "string" }, ...decisionFlags },
    positionals: [1, 1],
    async run({ values, positionals, common, io: io2 }) {
      const { rollback } = await import("./chunks/decide-TAQGFLBA.js");
      const o = await rollback(decisionOptions(values, common, io2), positionals[0], {
        ...typeof values.to === "string" ? { to: versionArg(values.to) } : {},
        ...typeof values.alias === "string" ? { alias: values.alias.replace(/^@/, "") } : {}
      });
      return await printDecision(o, common, io2, values["dry-run"] === true);
    }
  },
  {
    name: "record",
    summary: "after a merge: append audit records for transitions committed without one (idempotent)",
    usage: `modelgate record [--since REF] [--actor NAME] [--commit] [--push] [--dry-run]`,
    options: { since: { type: "string" }, actor: { type: "string" }, commit: { type: "boolean" }, push: { type: "boolean" }, "dry-run": { type: "boolean" } },
    positionals: [0, 0],
    async run({ values, common, io: io2 }) {
      const { runRecord } = await import("./chunks/record-KNCSPM7A.js");
      const o = await runRecord({
        ...common,
        ...typeof values.since === "string" ? { since: values.since } : {},
        ...typeof values.actor === "string" ? { actor: values.actor } : {},
        commit: values.commit === true,
        push: values.push === true,
        dryRun: values["dry-run"] === true,
        onProgress: (t) => io2.err(t)
      });
      if (o.faults.length) return o;
      for (const b of o.bypassed) io2.err(escapeMessage(`warning: ${b.model} v${b.version} was merged in ${b.commit.slice(0, 12)} with failing checks: ${b.failed.join(", ")}`));
      const { toJson } = await import("./chunks/text-5N3EI7KQ.js");
      if (common.format === "json") io2.out(toJson({ recorded: o.records.length, records: o.records, bypassed: o.bypassed, commit: o.commit ?? null }));
      else if (o.records.length === 0) io2.out("nothing to record: every transition has its record");
      else {
        const n = `${o.records.length} transition${o.records.length === 1 ? "" : "s"}`;
        io2.out(values["dry-run"] === true ? `dry run: would record ${n}; nothing was written` : `recorded ${n}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ""}`);
      }
      return {};
    }
  },
  {
    name: "audit",
    summary: "the transition history; `audit verify` proves the audit trail",
    usage: `modelgate audit [<model>] [--format text|json|markdown]
modelgate audit verify [<model>]   chains, append-only history, replay = manifests, coverage`,
    options: {},
    positionals: [0, 2],
    async run({ positionals, common, io: io2 }) {
      const [{ runAuditHistory, runAuditVerify }, { renderAuditHistory, renderVerifyProblems }] = await Promise.all([
        import("./chunks/audit-YHIBRLQC.js"),
        import("./chunks/audit-SV6UW5J2.js")
      ]);
      if (positionals[0] === "verify") {
        const o = await runAuditVerify({ ...common, ...positionals[1] ? { model: positionals[1] } : {} });
        io2.out(renderVerifyProblems(o.problems, common.format, { models: o.models, records: o.records }));
        return { decision: o.problems.length ? "deny" : "allow" };
      }
      if (positionals.length > 1) throw new InputError(`unexpected argument '${positionals[1]}'`, { hint: "usage: modelgate audit [<model>] | modelgate audit verify [<model>]" });
      const records = await runAuditHistory({ ...common, ...positionals[0] ? { model: positionals[0] } : {} });
      io2.out(renderAuditHistory(records, common.format));
      return {};
    }
  },
  {
    name: "sync",
    summary: "make the MLflow Model Registry at MLFLOW_TRACKING_URI follow git (aliases, versions, modelgate.* tags)",
    usage: `modelgate sync mlflow [<model>] [--dry-run] [--repo DIR] [--format text|json|markdown]
  --dry-run       list the differences, write nothing (exit 1 when there is one)`,
    options: { "dry-run": { type: "boolean" } },
    positionals: [1, 2],
    async run({ values, positionals, common, io: io2 }) {
      if (positionals[0] !== "mlflow") {
        throw new InputError(`sync: unknown target '${positionals[0]}'`, { hint: "modelgate sync mlflow [<model>] keeps the MLflow Model Registry in step with git" });
      }
      const [{ runSync, syncOutcome, SyncIncomplete }, { renderSync }] = await Promise.all([import("./chunks/sync-B5UIOY5B.js"), import("./chunks/sync-PRY25NKN.js")]);
      try {
        const o = await runSync({ ...common, ...positionals[1] !== void 0 ? { models: [positionals[1]] } : {}, dryRun: values["dry-run"] === true });
        io2.out(renderSync(o, common.format, { color: io2.color }));
        return syncOutcome(o);
      } catch (err) {
        if (err instanceof SyncIncomplete) io2.out(renderSync(err.outcome, common.format, { color: io2.color }));
        throw err;
      }
    }
  },
  {
    name: "import",
    summary: "adopt an existing MLflow registered model: a new manifest with its versions, stages and aliases",
    usage: `modelgate import mlflow <registered-model> [--as <model>] [--from <mlruns>] [--commit] [--dry-run] [--repo DIR] [--format text|json|markdown]
  --as MODEL      the manifest's name (default: the registered model's); the manifest then says mlflow: {name: ...}
  --from DIR      read a file store committed in the repository (the mlruns directory) instead of MLFLOW_TRACKING_URI
  --dry-run       fetch and show, write nothing
  --commit        commit the manifest and snapshots, then tag each MLflow version with modelgate.version`,
    options: { as: { type: "string" }, from: { type: "string" }, commit: { type: "boolean" }, "dry-run": { type: "boolean" } },
    positionals: [2, 2],
    async run({ values, positionals, common, io: io2 }) {
      if (positionals[0] !== "mlflow") throw new InputError(`cannot import from '${positionals[0]}'`, { hint: "usage: modelgate import mlflow <registered-model> [--as <model>]" });
      const [{ runImport }, { renderImport }] = await Promise.all([import("./chunks/importMlflow-SHFKWVND.js"), import("./chunks/importMlflow-VAWUR4SE.js")]);
      const dryRun = values["dry-run"] === true;
      const o = await runImport({
        ...common,
        registeredModel: positionals[1],
        ...typeof values.as === "string" ? { as: values.as } : {},
        ...typeof values.from === "string" ? { from: values.from } : {},
        commit: values.commit === true,
        dryRun,
        onProgress: (t) => io2.err(t)
      });
      io2.out(renderImport(o, common.format, { dryRun }));
      return {};
    }
  }
];
var FORMATS = ["text", "json", "markdown"];

// src/version.ts
var VERSION = true ? "0.1.0" : "dev";

// src/cli/main.ts
var COMMON = {
  repo: { type: "string" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" }
};
function mainHelp() {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `modelgate ${VERSION} \u2014 a model registry in git, and the gate that guards it`,
    "",
    "usage: modelgate <command> [args] [--repo DIR] [--format text|json|markdown]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "exit codes: 0 allowed \xB7 1 denied (or audit problems) \xB7 2 invalid input \xB7 3 environment failure",
    "run `modelgate <command> --help` for a command\u2019s flags"
  ].join("\n");
}
function commandHelp(c) {
  return `${c.usage}

${c.summary}

common flags:
  --repo DIR      the registry repository (default: current directory)
  --format F      text (default), json or markdown
  -h, --help      this help`;
}
async function main(argv2, io2, env) {
  let o;
  try {
    o = await runCommand(argv2, io2, env);
  } catch (err) {
    o = failed(err);
  }
  for (const fault of (o.faults ?? []).slice(0, 1)) printFailure(fault, io2);
  return exitCodeOf(o);
}
async function runCommand(argv2, io2, env) {
  const [name, ...rest] = argv2;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    io2.out(mainHelp());
    return { invalid: name === void 0 };
  }
  if (name === "--version" || name === "-V" || name === "version") {
    io2.out(VERSION);
    return {};
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const near = COMMANDS.find((c) => c.name.startsWith(name.slice(0, 3)));
    throw new InputError(`unknown command '${name}'`, { hint: near ? `did you mean \`modelgate ${near.name}\`? (modelgate --help lists all)` : "modelgate --help lists the commands" });
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InputError(err.message.replace(/\. To specify.*$/, ""), { hint: `see \`modelgate ${command.name} --help\`` });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io2.out(commandHelp(command));
    return {};
  }
  const [min, max] = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    throw new InputError(`${command.name}: expected ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"}, got ${positionals.length}`, {
      hint: `usage: ${command.usage.split("\n")[0]}`
    });
  }
  const format = values.format ?? "text";
  if (!FORMATS.includes(format)) throw new InputError(`unknown format '${String(values.format)}'`, { hint: "use --format text, json or markdown" });
  const repo = resolve(typeof values.repo === "string" ? values.repo : ".");
  if (typeof values.repo === "string" && !statSync(repo, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`--repo ${printable(values.repo)} is not a directory`, { hint: "pass the path of your registry checkout" });
  }
  const common = { repo, format, now: /* @__PURE__ */ new Date(), env: { ...env } };
  return command.run({ values, positionals, common, io: io2 });
}
function printFailure(err, io2) {
  if (err instanceof ModelgateError) {
    io2.err(formatError(err));
    return;
  }
  io2.err(`error: internal error: ${escapeMessage(err?.message ?? String(err))}
  hint: this is a bug in modelgate; nothing was allowed. Set MODELGATE_DEBUG=1 for details.`);
  if (process.env.MODELGATE_DEBUG) io2.err(String(err?.stack));
}

// src/cli/io.ts
function inertLine(t) {
  return inertLegacy(t.endsWith("\n") ? t : t + "\n").replace(/(^|[\r\n])([\s\u0085]*)::/g, "$1$2\\::");
}
function processIo(env = process.env) {
  const noColor = env.NO_COLOR !== void 0 && env.NO_COLOR !== "";
  return {
    out: (t) => process.stdout.write(inertLine(t)),
    err: (t) => process.stderr.write(inertLine(t)),
    color: Boolean(process.stdout.isTTY) && !noColor && env.TERM !== "dumb",
    // MODELGATE_STDERR_TTY: the supervising parent's stderr is a terminal (cli/supervise.ts).
    interactive: Boolean(process.stderr.isTTY) || env.MODELGATE_STDERR_TTY === "1"
  };
}

// src/cli/bin.ts
var io = processIo();
var argv = process.argv.slice(2);
if (!isSupervisedChild() && !["--version", "-V", "version", "--help", "-h", "help", void 0].includes(argv[0])) {
  superviseSelf(io.err);
} else {
  exitOnSignals(io.err);
  if (isSupervisedChild()) stopWithParent();
  else exitAfterBudget(process.env, io.err);
  void main(argv, io, process.env).then((code) => {
    process.exitCode = code;
  }).finally(exitWhenDone);
}
