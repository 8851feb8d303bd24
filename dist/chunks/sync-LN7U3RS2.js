import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  connectionFromEnv
} from "./chunk-ILASVY3E.js";
import {
  readLines,
  run_schema_default,
  verifyChainStream
} from "./chunk-2QVUTHZK.js";
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
} from "./chunk-G62P4OLM.js";
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

// src/mlflow/syncPlan.ts
var TAG_VERSION = "modelgate.version";
var TAG_STAGE = "modelgate.stage";
var TAG_AUDIT = "modelgate.audit";
var OWN_TAGS = [TAG_VERSION, TAG_STAGE, TAG_AUDIT];
function reservedAlias(alias) {
  return alias.toLowerCase() === "latest" || /^v[0-9]+$/i.test(alias);
}
function mappedVersions(server) {
  const byVersion = /* @__PURE__ */ new Map();
  for (const v of server.versions) {
    const tag = v.tags[TAG_VERSION];
    if (tag === void 0 || !/^[1-9][0-9]{0,8}$/.test(tag)) continue;
    const n = Number(tag);
    byVersion.set(n, [...byVersion.get(n) ?? [], v.version]);
  }
  const map = /* @__PURE__ */ new Map();
  const duplicates = /* @__PURE__ */ new Map();
  for (const [n, list] of byVersion) {
    const sorted = [...list].sort((a, b) => Number(a) - Number(b));
    map.set(n, sorted[0]);
    if (sorted.length > 1) duplicates.set(n, sorted);
  }
  return { map, duplicates };
}
function unmappedVersions(desired, server) {
  const { map } = mappedVersions(server);
  return desired.versions.filter((v) => !map.has(v.version)).map((v) => v.version);
}
var STAGE_ORDER = { Archived: 0, None: 1, Staging: 2, Production: 3 };
function planSync(desired, server) {
  const t = { model: desired.model, name: desired.registeredModel };
  const actions = [];
  const notes = [];
  const live = server.exists ? server : { exists: false, versions: [], aliases: {} };
  if (!server.exists) actions.push({ kind: "create-model", ...t });
  const { map, duplicates } = mappedVersions(live);
  for (const [n, list] of duplicates) {
    notes.push(`MLflow versions ${list.join(", ")} all carry ${TAG_VERSION}=${n}: v${n} is MLflow version ${list[0]}; the others are left as they are`);
  }
  const byMlflow = new Map(live.versions.map((v) => [v.version, v]));
  const taken = new Set(map.values());
  const creates = [];
  const adopted = /* @__PURE__ */ new Map();
  const unsynced = /* @__PURE__ */ new Map();
  for (const v of desired.versions) {
    if (map.has(v.version)) continue;
    const origin = v.origin ?? { skip: "its run was not read" };
    if ("skip" in origin) {
      unsynced.set(v.version, origin.skip);
      notes.push(`v${v.version} is not synced: ${origin.skip}`);
      continue;
    }
    const adopt = adoptable(origin, desired.registeredModel, byMlflow, taken);
    if (adopt !== void 0) {
      adopted.set(v.version, adopt);
      taken.add(adopt);
    } else creates.push(v);
  }
  const mlflowOf = (n) => map.get(n) ?? adopted.get(n);
  for (const [alias, mv] of Object.entries(live.aliases).sort(([a], [b]) => a < b ? -1 : 1)) {
    const want = desired.aliases[alias];
    if (want === void 0) actions.push({ kind: "delete-alias", ...t, alias, mlflowVersion: mv, why: "git has no such alias" });
    else if (unsynced.has(want)) actions.push({ kind: "delete-alias", ...t, alias, mlflowVersion: mv, why: `git points it at v${want}, which is not synced` });
  }
  for (const [alias, want] of Object.entries(desired.aliases)) {
    if (reservedAlias(alias)) notes.push(`@${alias} is not set: MLflow reserves the alias name '${alias}'`);
    else if (unsynced.has(want) && desired.versions.some((v) => v.version === want)) notes.push(`@${alias} is not set: v${want} is not synced`);
  }
  for (const v of creates) {
    const origin = v.origin;
    actions.push({ kind: "create-version", ...t, version: v.version, source: origin.source, runId: origin.runId, tags: ownTags(v) });
  }
  for (const v of desired.versions) {
    const mv = mlflowOf(v.version);
    if (mv === void 0) continue;
    const tags = byMlflow.get(mv)?.tags ?? {};
    const want = ownTags(v);
    for (const key of OWN_TAGS) {
      const value = want[key];
      if (value !== void 0 && tags[key] !== value) {
        actions.push({ kind: "set-tag", ...t, version: v.version, mlflowVersion: mv, key, value, ...tags[key] !== void 0 ? { was: tags[key] } : {} });
      } else if (value === void 0 && tags[key] !== void 0) {
        actions.push({ kind: "delete-tag", ...t, version: v.version, mlflowVersion: mv, key, was: tags[key] });
      }
    }
  }
  if (desired.stages) {
    const moves = [];
    for (const v of desired.versions) {
      if (unsynced.has(v.version)) continue;
      const mv = mlflowOf(v.version);
      const was = mv === void 0 ? "None" : byMlflow.get(mv)?.stage ?? "None";
      if (was !== v.stage) moves.push({ kind: "set-stage", ...t, version: v.version, ...mv !== void 0 ? { mlflowVersion: mv } : {}, stage: v.stage, was });
    }
    moves.sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || a.version - b.version);
    actions.push(...moves);
  }
  for (const [alias, want] of Object.entries(desired.aliases).sort(([a], [b]) => a < b ? -1 : 1)) {
    if (reservedAlias(alias) || unsynced.has(want) || !desired.versions.some((v) => v.version === want)) continue;
    const mv = mlflowOf(want);
    const was = live.aliases[alias];
    if (mv !== void 0 && was === mv) continue;
    actions.push({ kind: "set-alias", ...t, alias, version: want, ...mv !== void 0 ? { mlflowVersion: mv } : {}, ...was !== void 0 ? { was } : {} });
  }
  return { actions, notes };
}
function ownTags(v) {
  return { [TAG_VERSION]: String(v.version), [TAG_STAGE]: v.stage, ...v.audit !== void 0 ? { [TAG_AUDIT]: v.audit } : {} };
}
function adoptable(origin, name, byMlflow, taken) {
  const r = origin.registered;
  if (!r || r.name !== name) return void 0;
  const v = byMlflow.get(r.version);
  if (!v || taken.has(v.version) || v.tags[TAG_VERSION] !== void 0) return void 0;
  if (v.runId !== void 0 && v.runId !== "" && v.runId !== origin.runId) return void 0;
  return v.version;
}
function describeAction(a) {
  const mv = (x) => x.mlflowVersion !== void 0 ? ` (MLflow version ${x.mlflowVersion})` : "";
  switch (a.kind) {
    case "create-model":
      return `create registered model ${a.name}`;
    case "delete-alias":
      return `delete alias @${a.alias} of ${a.name} (on MLflow version ${a.mlflowVersion}): ${a.why}`;
    case "create-version":
      return `create the MLflow version of ${a.model} v${a.version} from ${a.source}`;
    case "set-tag":
      return `set ${a.key}=${short(a.value)} on ${a.model} v${a.version}${mv(a)}${a.was !== void 0 ? `, was ${short(a.was)}` : ""}`;
    case "delete-tag":
      return `delete ${a.key} (${short(a.was)}) from ${a.model} v${a.version}${mv(a)}: git has no such value`;
    case "set-stage":
      return `move ${a.model} v${a.version}${mv(a)} to stage ${a.stage}, was ${a.was}`;
    case "set-alias":
      return `point @${a.alias} of ${a.name} at v${a.version}${mv(a)}${a.was !== void 0 ? `, was MLflow version ${a.was}` : ", new"}`;
  }
}
function short(value) {
  return /^sha256:[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 19)}\u2026` : value;
}

// src/mlflow/syncServer.ts
async function readServerModel(client, name) {
  const rm = await client.getRegisteredModel(name);
  if (!rm) return { exists: false, versions: [], aliases: {} };
  const versions = await client.searchModelVersions(`name = '${name}'`);
  return {
    exists: true,
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
          await client.createRegisteredModel(a.name);
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
  const { createMlflowClient } = await import("./client-CGG2M4OA.js");
  const client = await createMlflowClient(conn);
  const planned = [];
  for (const m of manifests) {
    const desired = await desiredModel(state, layout, m);
    const server = await readServerModel(client, desired.registeredModel);
    const lacking = new Set(unmappedVersions(desired, server));
    for (const v of desired.versions) {
      if (lacking.has(v.version)) v.origin = await originOf(state, m.manifest.versions.find((x) => x.version === v.version), conn.trackingUri);
    }
    planned.push({ desired, ...planSync(desired, server) });
  }
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
async function originOf(state, v, trackingUri) {
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
  const source = modelSource(src, v.artifact ?? rec.artifact);
  if (source === void 0) return { skip: `its snapshot ${state.describe(path)} names no model (no model_id, no artifact)` };
  return { source, runId: src.run_id, ...src.registered_model ? { registered: { name: src.registered_model.name, version: src.registered_model.version } } : {} };
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
