import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  printable
} from "./chunk-JOPA73JY.js";

// src/mlflow/syncPlan.ts
var TAG_VERSION = "modelgate.version";
var TAG_STAGE = "modelgate.stage";
var TAG_AUDIT = "modelgate.audit";
var TAG_MODEL = "modelgate.model";
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
  if (!server.exists) actions.push({ kind: "create-model", ...t, tags: { [TAG_MODEL]: desired.model } });
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
function ownershipProblem(desired, server) {
  if (!server.exists) return void 0;
  const owner = server.tags?.[TAG_MODEL];
  if (owner === desired.model) return void 0;
  return owner === void 0 ? `the MLflow registered model '${desired.registeredModel}' exists and carries no ${TAG_MODEL} tag: modelgate did not create it and it was not adopted` : `the MLflow registered model '${desired.registeredModel}' is governed by the manifest of '${printable(owner)}' (${TAG_MODEL}=${printable(owner)}), not by ${desired.model}`;
}
function ownTags(v) {
  return { [TAG_VERSION]: String(v.version), [TAG_STAGE]: v.stage, ...v.audit !== void 0 ? { [TAG_AUDIT]: v.audit } : {} };
}
function adoptable(origin, name, byMlflow, taken) {
  const r = origin.registered;
  if (!r || r.name !== name) return void 0;
  const v = byMlflow.get(r.version);
  if (!v || taken.has(v.version) || v.tags[TAG_VERSION] !== void 0) return void 0;
  if (v.runId === void 0 || v.runId === "" || v.runId !== origin.runId) return void 0;
  return v.version;
}
function describeAction(a) {
  const mv = (x) => x.mlflowVersion !== void 0 ? ` (MLflow version ${x.mlflowVersion})` : "";
  switch (a.kind) {
    case "create-model":
      return `create registered model ${a.name}, tagged ${Object.entries(a.tags).map(([k, v]) => `${k}=${v}`).join(", ")}`;
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

export {
  TAG_MODEL,
  unmappedVersions,
  planSync,
  ownershipProblem,
  describeAction
};
