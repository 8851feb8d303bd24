import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  assertCommitted
} from "./chunk-HCY2ODEW.js";
import {
  commitFiles,
  takeBack
} from "./chunk-KJYE4KVK.js";
import {
  TAG_MODEL
} from "./chunk-RCWEUBY5.js";
import "./chunk-MFRRL4OI.js";
import "./chunk-W7Z66SK3.js";
import "./chunk-S5WV7FJK.js";
import "./chunk-BSSGNPR6.js";
import "./chunk-OXAEU5UG.js";
import "./chunk-VR3S7AYC.js";
import {
  GitState
} from "./chunk-ECHALH7R.js";
import {
  repoRoot
} from "./chunk-5ZHK5UEQ.js";
import {
  openRun,
  readAuditState,
  versionEvidence
} from "./chunk-WVHT4QIA.js";
import "./chunk-SO4SZRZT.js";
import {
  writeFileAtomicMkdir
} from "./chunk-UVN7TA7M.js";
import {
  digestArtifact
} from "./chunk-AKFKUSU4.js";
import "./chunk-E2G34L76.js";
import "./chunk-D7WOBC7Y.js";
import {
  childPath
} from "./chunk-PNMDNJGF.js";
import {
  ALIAS_NAME_PATTERN,
  MODEL_NAME_PATTERN,
  STAGES,
  WorktreeState,
  assertModelName,
  assertPlainLayout,
  assertPlainPath,
  auditPath,
  loadManifest,
  manifestPath,
  readLayout,
  snapshotPath
} from "./chunk-27FDAS2B.js";
import {
  require_dist
} from "./chunk-HYWAOBHT.js";
import {
  normalizeRepoPath,
  printable
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError,
  InputError,
  NotFoundError
} from "./chunk-RTQ2UXCO.js";
import "./chunk-LOQ7O4NU.js";
import {
  __toESM
} from "./chunk-CCN2QAD7.js";

// src/commands/importMlflow.ts
import { createHash } from "node:crypto";
import { join, resolve as resolvePath } from "node:path";

// src/mlflow/importMapping.ts
var import_yaml = __toESM(require_dist(), 1);
var VERSION_PATTERN = /^[1-9][0-9]{0,8}$/;
var RUN_ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;
function planImport(state) {
  const notes = [];
  const versions = [];
  const seen = /* @__PURE__ */ new Set();
  for (const v of [...state.versions].sort((a, b) => Number(a.version) - Number(b.version))) {
    if (!VERSION_PATTERN.test(v.version)) {
      throw new InputError(`MLflow version '${printable(v.version)}' of '${printable(state.name)}' is not a positive whole number`, { hint: "modelgate keeps MLflow's version numbers; this registry answered something else" });
    }
    const version = Number(v.version);
    if (seen.has(version)) throw new InputError(`MLflow listed version ${version} of '${printable(state.name)}' twice`, { hint: "re-run: the registry changed while it was read" });
    seen.add(version);
    const status = v.status === void 0 || v.status === "" ? "READY" : v.status;
    if (status !== "READY") {
      notes.push(`v${version} left out: its status is ${printable(status)}, not READY (it has no model to govern; import again once MLflow has finished or deleted it)`);
      continue;
    }
    if (!v.runId) {
      notes.push(`v${version} left out: it names no run, so it has no run metadata to snapshot (register its model with modelgate register --run instead)`);
      continue;
    }
    if (!RUN_ID_PATTERN.test(v.runId)) {
      notes.push(`v${version} left out: its run id '${printable(v.runId)}' is not an MLflow run id`);
      continue;
    }
    versions.push({ version, stage: mlflowStage(v.stage, version), runId: v.runId });
  }
  const production = versions.filter((v) => v.stage === "Production").map((v) => `v${v.version}`);
  if (production.length > 1) {
    throw new InputError(`'${printable(state.name)}' has ${production.length} versions in Production in MLflow (${production.join(", ")}); a manifest holds at most one`, {
      hint: "move all but the serving one to Archived in MLflow (transition-stage), then import again"
    });
  }
  const kept = new Set(versions.map((v) => v.version));
  const aliases = {};
  for (const a of [...state.aliases].sort((x, y) => x.alias < y.alias ? -1 : x.alias > y.alias ? 1 : 0)) {
    const target = VERSION_PATTERN.test(a.version) ? Number(a.version) : void 0;
    if (!ALIAS_NAME_PATTERN.test(a.alias)) {
      notes.push(`alias '${printable(a.alias)}' left out: manifest aliases use letters, digits, _ and - (at most 64)`);
    } else if (target === void 0 || !kept.has(target)) {
      notes.push(`alias @${a.alias} left out: it points at version ${printable(a.version)}, which is not imported`);
    } else {
      Object.defineProperty(aliases, a.alias, { value: target, enumerable: true, writable: true, configurable: true });
    }
  }
  return { versions, aliases, notes };
}
function mlflowStage(stage, version) {
  if (stage === void 0 || stage === "") return "None";
  const exact = STAGES.find((s) => s === stage) ?? STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (exact) return exact;
  throw new InputError(`MLflow version ${version} is in stage '${printable(stage)}', which is not an MLflow stage`, { hint: `MLflow stages are ${STAGES.join(", ")}` });
}
function importedManifestText(model, file, entries, plan, opts = {}) {
  const doc = {
    apiVersion: "modelgate/v1",
    kind: "Model",
    name: model,
    ...opts.description !== void 0 ? { description: opts.description } : {},
    ...opts.mlflowName !== void 0 && opts.mlflowName !== model ? { mlflow: { name: opts.mlflowName } } : {},
    versions: entries.map((e) => ({
      version: e.version,
      run: e.run,
      ...e.artifact !== void 0 ? { artifact: e.artifact } : {},
      ...e.digest !== void 0 ? { digest: e.digest } : {},
      ...e.evidence !== void 0 ? { evidence: e.evidence } : {},
      stage: e.stage
    })),
    ...Object.keys(plan.aliases).length ? { aliases: { ...plan.aliases } } : {}
  };
  const text = `# Imported from the MLflow Model Registry by \`modelgate import mlflow\`.
${(0, import_yaml.stringify)(doc, { version: "1.2", lineWidth: 0 })}`;
  const back = loadManifest(text, file, { singleProduction: true }).manifest;
  if (back.versions.length !== entries.length) throw new Error(`importedManifestText: ${file} did not load back as written`);
  return text;
}

// src/commands/importMlflow.ts
var VERSION_TAG = "modelgate.version";
async function runImport(opts) {
  if (opts.registeredModel === "") throw new InputError("import mlflow needs the registered model's name", { hint: "usage: modelgate import mlflow <registered-model> [--as <model>]" });
  const model = opts.as ?? opts.registeredModel;
  if (opts.as === void 0 && !MODEL_NAME_PATTERN.test(opts.registeredModel)) {
    throw new InputError(`'${printable(opts.registeredModel)}' cannot be a manifest name`, {
      hint: "manifest names use letters, digits, ., _ and - (at most 128): pass --as <model> to name the manifest (the manifest then says mlflow: {name: ...})"
    });
  }
  assertModelName(model);
  const cur = await readTarget(opts.repo, model);
  const file = manifestPath(cur.layout, model);
  const server = opts.from === void 0 ? await connect(opts) : void 0;
  if (cur.manifestText !== void 0) {
    if (server && opts.commit && !opts.dryRun) {
      const resumed = await resumeTagging(opts, server.client, cur.root, cur.work, file, cur.manifestText, model);
      if (resumed) return resumed;
    }
    throw new InputError(`${file} already exists: import never overwrites a manifest`, {
      location: { file },
      hint: `the model '${model}' is governed already; import under another name with --as <model>, or remove ${file} first (a change reviewed like any other)`
    });
  }
  if (cur.audit) {
    throw new InputError(`${cur.audit.file} exists although ${file} does not: a model of that name had a history here`, {
      hint: "import under another name with --as <model> (version numbers and records of the old model must not mix with the imported ones)"
    });
  }
  if (opts.commit && !opts.dryRun) await assertCommitted(cur.root, [file, auditPath(cur.layout, model)]);
  const built = server ? await fromServer(opts, server.client, cur.work, cur.layout, model) : await fromFileStore(opts, cur.work, normalizeRepoPath(opts.from, "--from"));
  const text = importedManifestText(model, file, built.entries, built.plan, {
    ...built.description !== void 0 ? { description: built.description } : {},
    mlflowName: opts.registeredModel
  });
  const outcome = {
    model,
    registeredModel: opts.registeredModel,
    source: built.source,
    file,
    versions: built.entries.map(entryOf),
    aliases: built.plan.aliases,
    notes: built.plan.notes,
    written: false,
    snapshots: built.snapshots.map((s) => s.path),
    tagged: []
  };
  if (opts.dryRun) return outcome;
  if (opts.commit && built.inPlace.length) await assertCommitted(cur.root, built.inPlace);
  const writes = [];
  try {
    for (const s of built.snapshots) writes.push(await writeFileAtomicMkdir(join(cur.root, s.path), s.text));
    writes.push(await writeFileAtomicMkdir(join(cur.root, file), text));
  } catch (err) {
    throw await takeBack(cur.root, [], writes, err);
  }
  let commit;
  try {
    if (opts.commit) {
      const files = [file, ...outcome.snapshots];
      commit = await commitFiles(cur.root, { files, message: importMessage(outcome) }).catch(async (err) => {
        throw await takeBack(cur.root, files, writes, err);
      });
    }
  } finally {
    for (const w of writes) await w.keep();
  }
  const done = { ...outcome, written: true, ...commit ? { commit } : {} };
  if (server && commit) done.tagged = await tagVersions(server.client, opts.registeredModel, done.versions.map((v) => v.version), done, true);
  return done;
}
async function readTarget(repo, model) {
  const root = await repoRoot(resolvePath(repo));
  const work = new WorktreeState(root);
  const head = await GitState.open(root, "HEAD").catch(() => void 0);
  try {
    const layout = await readLayout(head ?? work);
    await assertPlainLayout(work, layout);
    await assertPlainPath(work, manifestPath(layout, model), "a manifest");
    const manifestText = await work.readText(manifestPath(layout, model));
    const audit = await readAuditState(work, auditPath(layout, model), model);
    return { root, layout, work, manifestText, audit };
  } finally {
    head?.close?.();
  }
}
function entryOf(e) {
  return {
    version: e.version,
    stage: e.stage,
    run: e.run,
    ...e.artifact !== void 0 ? { artifact: e.artifact } : {},
    ...e.digest !== void 0 ? { digest: e.digest } : {},
    ...e.evidence !== void 0 ? { evidence: e.evidence } : {}
  };
}
async function connect(opts) {
  if (!opts.env.MLFLOW_TRACKING_URI) {
    throw new InputError("import mlflow reads the registry at MLFLOW_TRACKING_URI, which is not set", {
      hint: "set MLFLOW_TRACKING_URI to the tracking server (credentials in MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN), or read a file store committed in the repository with --from mlruns"
    });
  }
  const [{ connectionFromEnv }, { createMlflowClient }] = await Promise.all([import("./connection-R6RO3MPS.js"), import("./client-BMIH24MV.js")]);
  return { client: await createMlflowClient(connectionFromEnv(opts.env)) };
}
async function versionsOf(client, name) {
  if (name.includes("'")) {
    throw new InputError(`the registered model name '${printable(name)}' contains a quote, which MLflow's search filter cannot express`, { hint: "rename the registered model in MLflow, or read it from a file store with --from" });
  }
  const versions = await client.searchModelVersions(`name = '${name}'`);
  return versions.sort((a, b) => Number(a.version) - Number(b.version));
}
async function fromServer(opts, client, work, layout, model) {
  const name = opts.registeredModel;
  const rm = await client.getRegisteredModel(name);
  if (!rm) {
    throw new NotFoundError(`no registered model '${printable(name)}' on the tracking server ${client.trackingUri}`, {
      hint: "check the name in the MLflow UI (Models), and that MLFLOW_TRACKING_URI is the server that holds it"
    });
  }
  const owner = rm.tags.find((t) => t.key === TAG_MODEL)?.value;
  if (owner !== void 0 && owner !== model) {
    throw new InputError(`the MLflow registered model '${printable(name)}' is governed by the manifest of '${printable(owner)}' already (${TAG_MODEL}=${printable(owner)})`, {
      hint: `a registered model follows one manifest; import it as that model (--as ${printable(owner)}) only if its manifest is gone, after removing the tag ${TAG_MODEL} in MLflow`
    });
  }
  const listed = await versionsOf(client, name);
  const plan = planImport({
    name,
    ...rm.description !== void 0 ? { description: rm.description } : {},
    versions: listed.map((v) => ({
      version: v.version,
      ...v.current_stage !== void 0 ? { stage: v.current_stage } : {},
      ...v.status !== void 0 ? { status: v.status } : {},
      ...v.run_id ? { runId: v.run_id } : {}
    })),
    aliases: rm.aliases
  });
  const [{ takeSnapshot }, { mlmodelReader }] = await Promise.all([import("./snapshot-PIF4SZDA.js"), import("./fromServer-7BMF5TGN.js")]);
  const readMlmodel = mlmodelReader(client, opts.env);
  const entries = [];
  const snapshots = [];
  const notes = [...plan.notes];
  const runsSeen = /* @__PURE__ */ new Set();
  for (const v of plan.versions) {
    const snap = await takeSnapshot(client, { kind: "version", name, version: String(v.version) }, { now: opts.now, readMlmodel });
    if (snap.runId !== v.runId) {
      throw new EnvironmentError(`MLflow version ${v.version} of '${printable(name)}' names run ${printable(snap.runId)} now, but ${v.runId} a moment ago: the registry changed while it was read`, { hint: "re-run the import; nothing was written" });
    }
    const base = snapshotPath(layout, model, snap.runId);
    const path = runsSeen.has(snap.runId) ? base.replace(/\.json$/, `.v${v.version}.json`) : base;
    runsSeen.add(snap.runId);
    if (await work.stat(path)) {
      throw new InputError(`${path} already exists`, {
        hint: "a snapshot is never overwritten (it may be a version's evidence): remove it if no manifest names it, or import under another name with --as"
      });
    }
    const entry = { version: v.version, run: path, stage: v.stage };
    const artifact = typeof snap.record.artifact === "string" ? snap.record.artifact : void 0;
    if (artifact !== void 0) {
      entry.artifact = artifact;
      const d = await digestArtifact(artifact, { repoSource: work, env: opts.env, ...opts.onProgress ? { onProgress: opts.onProgress } : {} });
      if (d.exists && d.digest) entry.digest = d.digest;
      else notes.push(`v${v.version}: its model ${printable(artifact)} is gone from the artifact store: imported without an artifact digest`);
    } else {
      notes.push(`v${v.version}: no model with an MLmodel was found for run ${snap.runId}: imported without an artifact`);
    }
    entry.evidence = `sha256:${createHash("sha256").update(snap.text).digest("hex")}`;
    entries.push(entry);
    snapshots.push({ path, text: snap.text });
  }
  return { source: client.trackingUri, ...rm.description !== void 0 ? { description: rm.description } : {}, plan: { ...plan, notes }, entries, snapshots, inPlace: [] };
}
async function tagVersions(client, name, versions, done, tagModel) {
  const tagged = [];
  if (tagModel) {
    try {
      await client.setRegisteredModelTag(name, TAG_MODEL, done.model);
    } catch (err) {
      throw new EnvironmentError(`imported ${done.model} and committed it${done.commit ? ` (${done.commit.slice(0, 12)})` : ""}, but setting the registered-model tag ${TAG_MODEL} on ${printable(name)} failed: ${err.message}`, {
        hint: `done: ${done.file} and its snapshots are committed; no tag set yet. Re-run the same command (modelgate import mlflow ${printable(name)}${done.model !== name ? ` --as ${done.model}` : ""} --commit): it keeps the committed import and sets only the missing tags`,
        cause: err
      });
    }
  }
  for (const v of versions) {
    try {
      await client.setModelVersionTag(name, String(v), VERSION_TAG, String(v));
    } catch (err) {
      const left = versions.filter((x) => !tagged.includes(x));
      throw new EnvironmentError(
        `imported ${done.model} and committed it${done.commit ? ` (${done.commit.slice(0, 12)})` : ""}, but setting the ${VERSION_TAG} tag on MLflow version ${v} failed: ${err.message}`,
        {
          hint: `done: ${done.file} and its snapshots are committed${tagged.length ? `; tagged ${tagged.map((x) => `v${x}`).join(", ")}` : "; no tag set yet"}. Still to tag: ${left.map((x) => `v${x}`).join(", ")}. Re-run the same command (modelgate import mlflow ${printable(name)}${done.model !== name ? ` --as ${done.model}` : ""} --commit): it keeps the committed import and sets only the missing tags`,
          cause: err
        }
      );
    }
    tagged.push(v);
  }
  return tagged;
}
async function resumeTagging(opts, client, root, work, file, text, model) {
  const manifest = loadManifest(text, file, { singleProduction: false }).manifest;
  if ((manifest.mlflow?.name ?? manifest.name) !== opts.registeredModel || manifest.versions.length === 0) return void 0;
  for (const v of manifest.versions) {
    const snap = await work.readText(v.run).catch(() => void 0);
    if (snap === void 0 || !v.run.endsWith(".json")) return void 0;
    let source;
    try {
      source = JSON.parse(snap).source;
    } catch {
      return void 0;
    }
    if (source?.tracking_uri !== client.trackingUri || source.registered_model?.name !== opts.registeredModel || source.registered_model.version !== String(v.version)) return void 0;
  }
  await assertCommitted(root, [file, ...manifest.versions.map((v) => v.run)]);
  const listed = new Map((await versionsOf(client, opts.registeredModel)).map((v) => [Number(v.version), v]));
  const missing = manifest.versions.filter((v) => listed.get(v.version)?.tags?.find((t) => t.key === VERSION_TAG)?.value !== String(v.version)).map((v) => v.version);
  const rm = await client.getRegisteredModel(opts.registeredModel);
  const owner = rm?.tags.find((t) => t.key === TAG_MODEL)?.value;
  const tagModel = rm !== void 0 && owner === void 0;
  if (missing.length === 0 && !tagModel) return void 0;
  const outcome = {
    model,
    registeredModel: opts.registeredModel,
    source: client.trackingUri,
    file,
    versions: manifest.versions.map(entryOf),
    aliases: manifest.aliases,
    notes: [],
    written: false,
    snapshots: [],
    tagged: [],
    resumed: true
  };
  outcome.tagged = await tagVersions(client, opts.registeredModel, missing, outcome, tagModel);
  return outcome;
}
async function fromFileStore(opts, work, mlruns) {
  const { readFileStoreModel } = await import("./fileStoreRegistry-ZP47ABJH.js");
  const state = await readFileStoreModel(work, mlruns, opts.registeredModel);
  const plan = planImport(state);
  const notes = [...plan.notes];
  const byVersion = new Map(state.versions.map((v) => [Number(v.version), v]));
  const experiments = (await work.list(mlruns) ?? []).filter((n) => n !== "models" && !n.startsWith("."));
  const entries = [];
  const kept = [];
  for (const v of plan.versions) {
    const run = await runDir(work, mlruns, experiments, v.runId);
    if (run === void 0) {
      notes.push(`v${v.version} left out: its run ${v.runId} is not in ${mlruns}/<experiment>/ (commit the run directory, then import again)`);
      continue;
    }
    const entry = { version: v.version, run, stage: v.stage };
    const modelId = byVersion.get(v.version)?.modelId;
    const logged = modelId && /^m-[0-9a-f]+$/.test(modelId) ? childPath(dirnameOf(run), "models", modelId, "artifacts") : void 0;
    const artifact = logged && (await work.stat(childPath(logged, "MLmodel")))?.type === "file" ? logged : (await openRun(work, entry, opts.env)).artifact;
    if (artifact !== void 0) {
      const d = await digestArtifact(artifact, { repoSource: work, env: opts.env, ...opts.onProgress ? { onProgress: opts.onProgress } : {} });
      if (d.exists && d.digest) {
        entry.artifact = artifact;
        entry.digest = d.digest;
      } else {
        notes.push(`v${v.version}: its model ${printable(artifact)} is not in the repository: imported without an artifact digest`);
      }
    }
    entry.evidence = (await versionEvidence(work, entry, opts.env)).digest;
    entries.push(entry);
    kept.push(v);
  }
  const present = new Set(kept.map((v) => v.version));
  const aliases = {};
  for (const [a, target] of Object.entries(plan.aliases)) {
    if (present.has(target)) aliases[a] = target;
    else notes.push(`alias @${a} left out: it points at version ${target}, which is not imported`);
  }
  return { source: mlruns, ...state.description !== void 0 ? { description: state.description } : {}, plan: { versions: kept, aliases, notes }, entries, snapshots: [], inPlace: [state.dir, ...entries.flatMap((e) => [e.run, ...e.artifact !== void 0 ? [e.artifact] : []])] };
}
async function runDir(work, mlruns, experiments, runId) {
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(runId)) return void 0;
  const found = [];
  for (const exp of experiments) {
    const dir = childPath(mlruns, exp, runId);
    if ((await work.stat(childPath(dir, "meta.yaml")))?.type === "file") found.push(dir);
  }
  if (found.length > 1) throw new InputError(`run ${runId} is in more than one experiment of ${mlruns}: ${found.join(", ")}`, { hint: "remove the copy MLflow does not use, then import again" });
  return found[0];
}
function dirnameOf(path) {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}
function importMessage(o) {
  const n = o.versions.length;
  const one = (s) => printable(s).replace(/\s*[\r\n]+\s*/g, " ").trim();
  const subject = `modelgate: import ${o.model} from MLflow (${n} version${n === 1 ? "" : "s"})`;
  const body = [
    `Adopted the MLflow registered model '${one(o.registeredModel)}' from ${one(o.source)}: its versions, stages and aliases as MLflow had them.`,
    "No audit records: this manifest is the model's genesis state (SPEC section 7); its audit log begins with the next decision."
  ].join("\n");
  const notes = o.notes.map((x) => ` - ${one(x)}`).join("\n");
  const trailers = [
    ...o.versions.flatMap((v) => [`Modelgate-Model: ${o.model}`, `Modelgate-Version: ${v.version}`, `Modelgate-Transition: new -> ${v.stage}`]),
    `Modelgate-Import: mlflow ${one(o.registeredModel)}`
  ].join("\n");
  return [subject, body, ...notes ? [notes] : [], trailers].join("\n\n") + "\n";
}
export {
  VERSION_TAG,
  importMessage,
  runImport
};
