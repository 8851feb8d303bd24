import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  artifactPath,
  isMlflowArtifactsUri
} from "./chunk-2UQMGH7H.js";
import {
  SignatureError,
  parseMlflowSignature
} from "./chunk-D7WOBC7Y.js";
import {
  parseYaml
} from "./chunk-HYWAOBHT.js";
import {
  isS3Uri,
  printable
} from "./chunk-JOPA73JY.js";
import {
  InputError,
  NotFoundError
} from "./chunk-RTQ2UXCO.js";

// src/mlflow/snapshot.ts
function isServerRef(ref) {
  return ref.startsWith("runs:/") || ref.startsWith("models:/");
}
function parseServerRef(ref) {
  const run = /^runs:\/+([0-9A-Za-z_-]{1,64})\/?$/.exec(ref);
  if (run) return { kind: "run", runId: run[1] };
  const alias = /^models:\/+([^/@]{1,256})@([A-Za-z0-9_-]{1,255})$/.exec(ref);
  if (alias) return { kind: "alias", name: alias[1], alias: alias[2] };
  const version = /^models:\/+([^/@]{1,256})\/([0-9]{1,10})$/.exec(ref);
  if (version) return { kind: "version", name: version[1], version: version[2] };
  throw new InputError(`'${printable(ref)}' is not a tracking-server reference`, {
    hint: "write runs:/<run_id>, models:/<name>/<version> or models:/<name>@<alias> (a run path inside the repository needs no prefix)"
  });
}
async function takeSnapshot(client, ref, opts) {
  const version = ref.kind === "run" ? void 0 : await resolveVersion(client, ref);
  const runId = ref.kind === "run" ? ref.runId : version.run_id;
  if (!runId) throw new InputError(`${describe(ref)} has no run on the tracking server`, { hint: "register a run (runs:/<run_id>) that logged the model instead" });
  const run = await client.getRun(runId);
  if (!run) {
    throw new NotFoundError(`run ${runId} not found on the tracking server ${client.trackingUri}${version ? ` (named by ${describe(ref)})` : ""}`, {
      hint: "check the run id (the 32 hex digits in the MLflow UI) and that MLFLOW_TRACKING_URI is the server that logged it"
    });
  }
  const serverVersion = await client.serverVersion();
  const model = await chooseModel(client, run, version, opts.readMlmodel);
  const metrics = {};
  const history = {};
  for (const m of [...run.data.metrics].sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) {
    metrics[m.key] = jsonValue(m.value);
    const points = await client.metricHistory(runId, m.key);
    history[m.key] = (points.length ? points : [m]).map((p) => ({ step: p.step, value: jsonValue(p.value), timestamp: p.timestamp }));
  }
  const record = {
    run_id: runId,
    ...STATUSES.has(run.info.status) ? { status: run.info.status } : {},
    ...run.info.start_time ? { start_time: new Date(run.info.start_time).toISOString() } : {},
    ...run.info.end_time ? { end_time: new Date(run.info.end_time).toISOString() } : {},
    params: sortedObject(run.data.params),
    tags: sortedObject(run.data.tags),
    metrics,
    metric_history: history,
    ...model?.signature ? { signature: model.signature } : {},
    ...model ? { artifact: model.uri } : {},
    source: {
      tracker: "mlflow",
      tracking_uri: client.trackingUri,
      ...serverVersion ? { server_version: serverVersion } : {},
      run_id: runId,
      experiment_id: run.info.experiment_id,
      ...model?.modelId ? { model_id: model.modelId } : {},
      ...version ? { registered_model: { name: version.name, version: version.version } } : {},
      fetched_at: opts.now.toISOString()
    }
  };
  return { runId, record, text: `${JSON.stringify(record, null, 2)}
` };
}
var STATUSES = /* @__PURE__ */ new Set(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]);
function describe(ref) {
  return ref.kind === "run" ? `runs:/${ref.runId}` : ref.kind === "version" ? `models:/${ref.name}/${ref.version}` : `models:/${ref.name}@${ref.alias}`;
}
async function resolveVersion(client, ref) {
  const v = ref.kind === "version" ? await client.getModelVersion(ref.name, ref.version) : await client.getModelVersionByAlias(ref.name, ref.alias);
  if (v) return v;
  throw new NotFoundError(`${describe(ref)} not found on the tracking server ${client.trackingUri}`, {
    hint: ref.kind === "alias" ? `the registered model '${ref.name}' has no alias '${ref.alias}' (or no such model): check the alias in the MLflow UI, or name the version (models:/${ref.name}/<version>)` : `the registered model '${ref.name}' has no version ${ref.version} (or no such model): check the name and version in the MLflow UI`
  });
}
async function chooseModel(client, run, version, readMlmodel) {
  if (version?.source) {
    const at = await modelAt(client, run, version.model_id ? `models:/${version.model_id}` : version.source, readMlmodel);
    if (at) return at;
  }
  const candidates = [];
  for (const o of run.outputs?.model_outputs ?? []) candidates.push(`models:/${o.model_id}`);
  if (candidates.length === 0) {
    for (const h of logModelHistory(run)) candidates.push(`runs:/${run.info.run_id}/${h}`);
  }
  if (candidates.length === 0) candidates.push(`runs:/${run.info.run_id}/model`);
  let last;
  for (const c of [...candidates].reverse()) {
    const m = await modelAt(client, run, c, readMlmodel);
    if (m?.signature) return m;
    last ??= m;
  }
  return last;
}
async function modelAt(client, run, source, readMlmodel) {
  let uri = source;
  let modelId;
  const logged = /^models:\/+(m-[0-9a-f]+)$/.exec(source);
  if (logged) {
    const lm = await client.getLoggedModel(logged[1]);
    if (!lm) return void 0;
    uri = lm.artifact_uri;
    modelId = lm.model_id;
  } else {
    const runPath = /^runs:\/+([^/]+)\/(.+)$/.exec(source);
    if (runPath) {
      if (!run.info.artifact_uri) return void 0;
      uri = `${run.info.artifact_uri.replace(/\/+$/, "")}/${runPath[2].replace(/^\/+|\/+$/g, "")}`;
    }
  }
  if (!isS3Uri(uri) && !isMlflowArtifactsUri(uri)) return void 0;
  if (isMlflowArtifactsUri(uri)) artifactPath(uri);
  const text = await readMlmodel(uri);
  if (text === void 0) return void 0;
  const signature = mlmodelSignature(text);
  return { uri, ...modelId ? { modelId } : {}, ...signature ? { signature } : {} };
}
function logModelHistory(run) {
  const tag = run.data.tags.find((t) => t.key === "mlflow.log-model.history")?.value;
  if (!tag) return [];
  try {
    const list = JSON.parse(tag);
    return Array.isArray(list) ? list.map((h) => h.artifact_path).filter((p) => typeof p === "string" && p !== "") : [];
  } catch {
    return [];
  }
}
function mlmodelSignature(text) {
  let doc;
  try {
    doc = parseYaml(text, "MLmodel").value;
  } catch {
    return void 0;
  }
  const sig = doc?.signature;
  if (!sig || typeof sig !== "object") return void 0;
  try {
    parseMlflowSignature(sig);
  } catch (err) {
    if (err instanceof SignatureError || err instanceof InputError) return void 0;
    throw err;
  }
  const list = (v) => typeof v === "string" ? JSON.parse(v) : v ?? null;
  return { inputs: list(sig.inputs), outputs: list(sig.outputs), ...sig.params !== void 0 && sig.params !== null ? { params: list(sig.params) } : {} };
}
function jsonValue(v) {
  return Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v;
}
function sortedObject(kvs) {
  const out = {};
  for (const { key, value } of [...kvs].sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export {
  isServerRef,
  parseServerRef,
  takeSnapshot,
  mlmodelSignature
};
