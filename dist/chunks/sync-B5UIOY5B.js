import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  TAG_MODEL,
  describeAction,
  ownershipProblem,
  planSync,
  unmappedVersions
} from "./chunk-RCWEUBY5.js";
import {
  connectionFromEnv
} from "./chunk-ILASVY3E.js";
import {
  readLines,
  run_schema_default,
  verifyChainStream
} from "./chunk-UVN7TA7M.js";
import {
  readSourceText
} from "./chunk-PNMDNJGF.js";
import {
  WorktreeState,
  assertModelName,
  assertPlainPath,
  auditPath,
  listModels,
  readLayout,
  readManifest,
  schemaErrors
} from "./chunk-27FDAS2B.js";
import {
  parseJson
} from "./chunk-HYWAOBHT.js";
import {
  isRemoteUri,
  normalizeRepoPath,
  printable
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError,
  InputError,
  InputErrors,
  NotFoundError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import "./chunk-CCN2QAD7.js";

// src/commands/sync.ts
import { resolve as resolvePath } from "node:path";

// src/mlflow/syncServer.ts
async function readServerModel(client, name) {
  const rm = await client.getRegisteredModel(name);
  if (!rm) return { exists: false, versions: [], aliases: {} };
  const versions = await client.searchModelVersions(`name = '${name}'`);
  return {
    exists: true,
    tags: Object.fromEntries(rm.tags.map((t) => [t.key, t.value])),
    versions: versions.filter((v) => v.name === name).map((v) => ({
      version: v.version,
      stage: v.current_stage ?? "None",
      ...v.run_id ? { runId: v.run_id } : {},
      tags: Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value]))
    })),
    aliases: Object.fromEntries(rm.aliases.map((a) => [a.alias, a.version]))
  };
}
var SyncStopped = class extends EnvironmentError {
  constructor(done, notDone, reason) {
    super(reason.message, { hint: reason.hint, cause: reason });
    this.done = done;
    this.notDone = notDone;
    this.reason = reason;
  }
  done;
  notDone;
  reason;
};
async function executeActions(client, actions, onDone = () => void 0) {
  const created = /* @__PURE__ */ new Map();
  const at = (a) => {
    const mv = a.mlflowVersion ?? created.get(a.version);
    if (mv === void 0) throw new Error(`sync: no MLflow version for v${a.version}`);
    return mv;
  };
  for (const [i, a] of actions.entries()) {
    let createdAs;
    try {
      switch (a.kind) {
        case "create-model":
          await client.createRegisteredModel(a.name, Object.entries(a.tags).map(([key, value]) => ({ key, value })));
          break;
        case "delete-alias":
          await client.deleteAlias(a.name, a.alias);
          break;
        case "create-version": {
          const tags = Object.entries(a.tags).map(([key, value]) => ({ key, value }));
          const mv = await client.createModelVersion({ name: a.name, source: a.source, runId: a.runId, tags });
          created.set(a.version, mv.version);
          createdAs = mv.version;
          break;
        }
        case "set-tag":
          await client.setModelVersionTag(a.name, at(a), a.key, a.value);
          break;
        case "delete-tag":
          await client.deleteModelVersionTag(a.name, at(a), a.key);
          break;
        case "set-stage":
          await client.transitionStage(a.name, at(a), a.stage);
          break;
        case "set-alias":
          await client.setAlias(a.name, a.alias, at(a));
          break;
      }
    } catch (err) {
      if (err instanceof EnvironmentError) throw new SyncStopped(actions.slice(0, i), actions.slice(i), err);
      throw err;
    }
    onDone(a, createdAs);
  }
}

// src/commands/sync.ts
function syncOutcome(o) {
  return { decision: o.dryRun && o.models.some((m) => m.actions.length > 0) ? "deny" : "allow" };
}
async function runSync(opts) {
  const conn = syncConnection(opts.env);
  const state = new WorktreeState(resolvePath(opts.repo));
  const layout = await readLayout(state);
  for (const name of opts.models ?? []) assertModelName(name);
  const names = opts.models !== void 0 ? [...new Set(opts.models)].sort() : await listModels(state, layout);
  const manifests = [];
  for (const name of names) {
    const m = await readManifest(state, layout, name);
    if (!m) throw new InputError(`no model named '${name}'`, { hint: `models live in ${layout.registry}/<model>.yaml; run \`modelgate status\` to list them` });
    manifests.push(m);
  }
  assertDistinctNames(manifests);
  const { createMlflowClient } = await import("./client-BMIH24MV.js");
  const client = await createMlflowClient(conn);
  const planned = [];
  const refused = [];
  for (const m of manifests) {
    const desired = await desiredModel(state, layout, m);
    const server = await readServerModel(client, desired.registeredModel);
    const problem = ownershipProblem(desired, server);
    if (problem !== void 0) {
      refused.push(notOwned(m, desired, problem));
      continue;
    }
    const lacking = new Set(unmappedVersions(desired, server));
    for (const v of desired.versions) {
      if (lacking.has(v.version)) v.origin = await originOf(state, m.manifest.versions.find((x) => x.version === v.version), client);
    }
    planned.push({ desired, ...planSync(desired, server) });
  }
  if (refused.length) throw refused.length === 1 ? refused[0] : new InputErrors(refused);
  const views = planned.map((p) => ({ model: p.desired.model, registeredModel: p.desired.registeredModel, notes: p.notes, actions: p.actions.map((a) => view(a, "pending")) }));
  const outcome = { trackingUri: conn.trackingUri, dryRun: opts.dryRun, models: views };
  if (opts.dryRun) return outcome;
  for (const [i, p] of planned.entries()) {
    let n = 0;
    try {
      await executeActions(client, p.actions, (_a, createdAs) => {
        const v = views[i].actions[n++];
        v.status = "done";
        if (createdAs !== void 0) v.mlflowVersion = createdAs;
      });
    } catch (err) {
      if (!(err instanceof SyncStopped)) throw err;
      for (const later of views.slice(i)) for (const a of later.actions) if (a.status === "pending") a.status = "not-done";
      outcome.error = err.message;
      throw new SyncIncomplete(outcome, err);
    }
  }
  return outcome;
}
var SyncIncomplete = class extends EnvironmentError {
  constructor(outcome, reason) {
    const all = outcome.models.flatMap((m) => m.actions);
    const list = (s) => {
      const items = all.filter((a) => a.status === s).map((a) => a.description);
      const shown = items.slice(0, MAX_LISTED);
      return items.length === 0 ? "nothing" : shown.join(", ") + (items.length > shown.length ? ` and ${items.length - shown.length} more` : "");
    };
    super(`sync mlflow stopped part-way: ${reason.message}. done: ${list("done")}; not done: ${list("not-done")}`, {
      hint: `re-run \`modelgate sync mlflow\`: it completes what is not done (what is done is not written again)${reason.hint ? `; ${reason.hint}` : ""}`,
      cause: reason
    });
    this.outcome = outcome;
  }
  outcome;
};
var MAX_LISTED = 20;
function syncConnection(env) {
  if (!env.MLFLOW_TRACKING_URI) {
    throw new InputError("sync mlflow needs MLFLOW_TRACKING_URI: the MLflow tracking server whose Model Registry follows git", {
      hint: "set MLFLOW_TRACKING_URI (e.g. https://mlflow.example.com) and its credentials (MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN), then re-run"
    });
  }
  return connectionFromEnv(env);
}
function assertDistinctNames(manifests) {
  const seen = /* @__PURE__ */ new Map();
  const errors = [];
  for (const m of manifests) {
    const name = registeredName(m);
    const other = seen.get(name);
    if (other !== void 0) {
      errors.push(
        new InputError(`${m.file} and the manifest of ${other} both sync to the MLflow registered model '${name}'`, {
          location: { file: m.file },
          hint: "give one of them its own name in MLflow: mlflow: {name: <other>}"
        })
      );
    } else seen.set(name, m.manifest.name);
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
}
function notOwned(m, desired, problem) {
  const as = desired.registeredModel !== desired.model ? ` --as ${desired.model}` : "";
  return new InputError(`${m.file}: sync refuses ${desired.model}: ${problem}`, {
    location: { file: m.file },
    hint: `adopt it with \`modelgate import mlflow ${desired.registeredModel}${as} --commit\` (which tags it), or set the registered-model tag ${TAG_MODEL}=${desired.model} in MLflow; or give the manifest its own MLflow name (mlflow: {name: <other>}). Nothing was written.`
  });
}
function registeredName(m) {
  return m.manifest.mlflow?.name ?? m.manifest.name;
}
async function desiredModel(state, layout, m) {
  const heads = await auditHeads(state, auditPath(layout, m.manifest.name), m.manifest.name);
  return {
    model: m.manifest.name,
    registeredModel: registeredName(m),
    versions: m.manifest.versions.map((v) => ({ version: v.version, stage: v.stage, ...heads.has(v.version) ? { audit: heads.get(v.version) } : {} })),
    aliases: { ...m.manifest.aliases },
    stages: layout.mlflow?.stages === true
  };
}
async function auditHeads(state, file, model) {
  const heads = /* @__PURE__ */ new Map();
  await assertPlainPath(state, file, "an audit log");
  if (!await state.stat(file)) return heads;
  const { problems } = await verifyChainStream(readLines(await state.openStream(file)), model, state.describe(file), (r) => heads.set(r.version, r.hash));
  if (problems.length > 0) {
    const first = problems[0];
    throw new InputError(`the audit log of ${model} does not verify${first.line !== void 0 ? ` (line ${first.line})` : ""}: ${first.message}`, {
      location: { file, ...first.line !== void 0 ? { line: first.line } : {} },
      hint: "run `modelgate audit verify` and restore the log from git history; sync mirrors only a log that verifies. Nothing was written."
    });
  }
  return heads;
}
var RUN_SCHEMA = run_schema_default;
async function originOf(state, v, client) {
  const trackingUri = client.trackingUri;
  const notSnapshot = { skip: `its run ${printable(v.run)} is not an MLflow snapshot (register --run runs:/<id> or models:/<name>/<n> takes one)` };
  if (isRemoteUri(v.run) || !v.run.endsWith(".json")) return notSnapshot;
  const path = normalizeRepoPath(v.run, "run");
  const text = await readSourceText(state, path);
  if (text === void 0) throw new NotFoundError(`run ${state.describe(path)} of v${v.version} not found`, { hint: "check the run: path in the manifest (relative to the repository root)" });
  const doc = parseJson(text, state.describe(path));
  const errors = schemaErrors(RUN_SCHEMA, doc);
  if (errors.length) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
  const rec = doc.value;
  const src = rec.source;
  if (!src || src.tracker !== "mlflow") return notSnapshot;
  const from = src.tracking_uri.replace(/\/+$/, "");
  if (from !== trackingUri) return { skip: `its snapshot comes from ${printable(from)}, not from MLFLOW_TRACKING_URI (${trackingUri})` };
  const artifact = v.artifact ?? rec.artifact;
  if (src.model_id) {
    const forged = await loggedModelMismatch(client, src.model_id, src.run_id, artifact);
    if (forged !== void 0) return { skip: forged };
  } else if (artifact !== void 0 && !isRemoteUri(artifact)) {
    return { skip: `its artifact ${printable(artifact)} is a repository path, not a URI MLflow can register (s3:// or mlflow-artifacts:/)` };
  }
  const source = modelSource(src, artifact);
  if (source === void 0) return { skip: `its snapshot ${state.describe(path)} names no model (no model_id, no artifact)` };
  return { source, runId: src.run_id, ...src.registered_model ? { registered: { name: src.registered_model.name, version: src.registered_model.version } } : {} };
}
async function loggedModelMismatch(client, modelId, runId, artifact) {
  const lm = await client.getLoggedModel(modelId);
  const id = printable(modelId);
  if (!lm) return `its snapshot's model_id ${id} is not a logged model on ${client.trackingUri}`;
  if (!runId || lm.source_run_id !== runId) return `its snapshot's model_id ${id} was logged by run ${printable(lm.source_run_id ?? "(none)")}, not by the snapshot's run ${printable(runId || "(none)")}`;
  const trim = (u) => u.replace(/\/+$/, "");
  if (artifact !== void 0 && trim(lm.artifact_uri) !== trim(artifact)) {
    return `its artifact ${printable(artifact)} is not the artifact of logged model ${id} (${printable(lm.artifact_uri)})`;
  }
  return void 0;
}
function modelSource(src, artifact) {
  if (src.model_id) return `models:/${src.model_id}`;
  if (artifact === void 0) return void 0;
  const marker = `/${src.run_id}/artifacts/`;
  const at = artifact.indexOf(marker);
  if (at >= 0) {
    const rel = artifact.slice(at + marker.length).replace(/\/+$/, "");
    if (rel !== "") return `runs:/${src.run_id}/${rel}`;
  }
  return artifact;
}
function view(a, status) {
  return {
    kind: a.kind,
    status,
    description: describeAction(a),
    ..."alias" in a ? { alias: a.alias } : {},
    ..."version" in a ? { version: a.version } : {},
    ..."mlflowVersion" in a && a.mlflowVersion !== void 0 ? { mlflowVersion: a.mlflowVersion } : {},
    ..."key" in a ? { key: a.key } : {},
    ..."value" in a ? { value: a.value } : {},
    ..."stage" in a ? { stage: a.stage } : {},
    ..."was" in a && a.was !== void 0 ? { was: a.was } : {}
  };
}
export {
  SyncIncomplete,
  modelSource,
  runSync,
  syncOutcome
};
