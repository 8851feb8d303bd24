/**
 * A snapshot of a run on an MLflow tracking server (SPEC section 3.1): the portable run record
 * (`schemas/run.schema.json`) `register` writes to `<runs>/<model>/<run_id>.json`, so the gate
 * judges immutable evidence in git, offline. It holds params, tags, status, times, the latest
 * metrics (as the server computes them: MLflow's rule), every metric's full history, the
 * model's signature from its MLmodel, the model's location and where all of it came from.
 */
import { InputError, NotFoundError } from '../errors';
import { parseYaml } from '../schema/document';
import { isS3Uri, printable } from '../storage/paths';
import { parseMlflowSignature, SignatureError } from '../runs/signature';
import { artifactPath, isMlflowArtifactsUri, type MlflowClient, type MlflowModelVersion, type MlflowRun } from './client';

/** A `--run` value that names a run on the tracking server. */
export type ServerRef = { kind: 'run'; runId: string } | { kind: 'version'; name: string; version: string } | { kind: 'alias'; name: string; alias: string };

export function isServerRef(ref: string): boolean {
  return ref.startsWith('runs:/') || ref.startsWith('models:/');
}

/** Parses `runs:/<run_id>`, `models:/<name>/<version>` or `models:/<name>@<alias>`. */
export function parseServerRef(ref: string): ServerRef {
  const run = /^runs:\/+([0-9A-Za-z_-]{1,64})\/?$/.exec(ref);
  if (run) return { kind: 'run', runId: run[1]! };
  const alias = /^models:\/+([^/@]{1,256})@([A-Za-z0-9_-]{1,255})$/.exec(ref);
  if (alias) return { kind: 'alias', name: alias[1]!, alias: alias[2]! };
  const version = /^models:\/+([^/@]{1,256})\/([0-9]{1,10})$/.exec(ref);
  if (version) return { kind: 'version', name: version[1]!, version: version[2]! };
  throw new InputError(`'${printable(ref)}' is not a tracking-server reference`, {
    hint: 'write runs:/<run_id>, models:/<name>/<version> or models:/<name>@<alias> (a run path inside the repository needs no prefix)',
  });
}

/** Reads an artifact's MLmodel text wherever the artifact store keeps it (S3 or the server's proxy). */
export type MlmodelReader = (artifactUri: string) => Promise<string | undefined>;

export interface Snapshot {
  runId: string;
  /** The portable record, ready to be written (2-space JSON, trailing newline). */
  text: string;
  record: Record<string, unknown>;
}

type Json = Record<string, unknown>;

export async function takeSnapshot(client: MlflowClient, ref: ServerRef, opts: { now: Date; readMlmodel: MlmodelReader }): Promise<Snapshot> {
  const version = ref.kind === 'run' ? undefined : await resolveVersion(client, ref);
  const runId = ref.kind === 'run' ? ref.runId : version!.run_id;
  if (!runId) throw new InputError(`${describe(ref)} has no run on the tracking server`, { hint: 'register a run (runs:/<run_id>) that logged the model instead' });
  const run = await client.getRun(runId);
  if (!run) {
    throw new NotFoundError(`run ${runId} not found on the tracking server ${client.trackingUri}${version ? ` (named by ${describe(ref)})` : ''}`, {
      hint: 'check the run id (the 32 hex digits in the MLflow UI) and that MLFLOW_TRACKING_URI is the server that logged it',
    });
  }
  const serverVersion = await client.serverVersion();
  const model = await chooseModel(client, run, version, opts.readMlmodel);

  const metrics: Json = {};
  const history: Json = {};
  for (const m of [...run.data.metrics].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    metrics[m.key] = jsonValue(m.value);
    const points = await client.metricHistory(runId, m.key);
    history[m.key] = (points.length ? points : [m]).map((p) => ({ step: p.step, value: jsonValue(p.value), timestamp: p.timestamp }));
  }
  const record: Json = {
    run_id: runId,
    ...(STATUSES.has(run.info.status) ? { status: run.info.status } : {}),
    ...(run.info.start_time ? { start_time: new Date(run.info.start_time).toISOString() } : {}),
    ...(run.info.end_time ? { end_time: new Date(run.info.end_time).toISOString() } : {}),
    params: sortedObject(run.data.params),
    tags: sortedObject(run.data.tags),
    metrics,
    metric_history: history,
    ...(model?.signature ? { signature: model.signature } : {}),
    ...(model ? { artifact: model.uri } : {}),
    source: {
      tracker: 'mlflow',
      tracking_uri: client.trackingUri,
      ...(serverVersion ? { server_version: serverVersion } : {}),
      run_id: runId,
      experiment_id: run.info.experiment_id,
      ...(model?.modelId ? { model_id: model.modelId } : {}),
      ...(version ? { registered_model: { name: version.name, version: version.version } } : {}),
      fetched_at: opts.now.toISOString(),
    },
  };
  return { runId, record, text: `${JSON.stringify(record, null, 2)}\n` };
}

const STATUSES = new Set(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

function describe(ref: ServerRef): string {
  return ref.kind === 'run' ? `runs:/${ref.runId}` : ref.kind === 'version' ? `models:/${ref.name}/${ref.version}` : `models:/${ref.name}@${ref.alias}`;
}

async function resolveVersion(client: MlflowClient, ref: Exclude<ServerRef, { kind: 'run' }>): Promise<MlflowModelVersion> {
  const v = ref.kind === 'version' ? await client.getModelVersion(ref.name, ref.version) : await client.getModelVersionByAlias(ref.name, ref.alias);
  if (v) return v;
  throw new NotFoundError(`${describe(ref)} not found on the tracking server ${client.trackingUri}`, {
    hint:
      ref.kind === 'alias'
        ? `the registered model '${ref.name}' has no alias '${ref.alias}' (or no such model): check the alias in the MLflow UI, or name the version (models:/${ref.name}/<version>)`
        : `the registered model '${ref.name}' has no version ${ref.version} (or no such model): check the name and version in the MLflow UI`,
  });
}

interface ChosenModel {
  uri: string;
  modelId?: string;
  signature?: Json;
}

/**
 * The run's model: the registered version's (models:/), else a logged model (MLflow 3) or a
 * `mlflow.log-model.history` entry (2.x): the one that carries a signature, else the last.
 * Runs made with mlflow.evaluate log a SHAP explainer after the model; it has no signature.
 */
async function chooseModel(client: MlflowClient, run: MlflowRun, version: MlflowModelVersion | undefined, readMlmodel: MlmodelReader): Promise<ChosenModel | undefined> {
  if (version?.source) {
    const at = await modelAt(client, run, version.model_id ? `models:/${version.model_id}` : version.source, readMlmodel);
    if (at) return at;
  }
  const candidates: string[] = [];
  for (const o of run.outputs?.model_outputs ?? []) candidates.push(`models:/${o.model_id}`);
  if (candidates.length === 0) {
    for (const h of logModelHistory(run)) candidates.push(`runs:/${run.info.run_id}/${h}`);
  }
  if (candidates.length === 0) candidates.push(`runs:/${run.info.run_id}/model`);
  let last: ChosenModel | undefined;
  for (const c of [...candidates].reverse()) {
    const m = await modelAt(client, run, c, readMlmodel);
    if (m?.signature) return m;
    last ??= m;
  }
  return last;
}

/** A model location (`models:/m-…`, `runs:/<id>/<path>`, an artifact URI) → where it is and its signature. */
async function modelAt(client: MlflowClient, run: MlflowRun, source: string, readMlmodel: MlmodelReader): Promise<ChosenModel | undefined> {
  let uri = source;
  let modelId: string | undefined;
  const logged = /^models:\/+(m-[0-9a-f]+)$/.exec(source);
  if (logged) {
    const lm = await client.getLoggedModel(logged[1]!);
    if (!lm) return undefined;
    uri = lm.artifact_uri;
    modelId = lm.model_id;
  } else {
    const runPath = /^runs:\/+([^/]+)\/(.+)$/.exec(source);
    if (runPath) {
      if (!run.info.artifact_uri) return undefined;
      uri = `${run.info.artifact_uri.replace(/\/+$/, '')}/${runPath[2]!.replace(/^\/+|\/+$/g, '')}`;
    }
  }
  if (!isS3Uri(uri) && !isMlflowArtifactsUri(uri)) return undefined; // a store modelgate cannot read (local paths on the server)
  if (isMlflowArtifactsUri(uri)) artifactPath(uri); // a malformed URI fails here
  const text = await readMlmodel(uri);
  if (text === undefined) return undefined;
  const signature = mlmodelSignature(text);
  return { uri, ...(modelId ? { modelId } : {}), ...(signature ? { signature } : {}) };
}

/** The artifact paths in `mlflow.log-model.history` (MLflow 2.x), in logging order. */
function logModelHistory(run: MlflowRun): string[] {
  const tag = run.data.tags.find((t) => t.key === 'mlflow.log-model.history')?.value;
  if (!tag) return [];
  try {
    const list = JSON.parse(tag) as { artifact_path?: unknown }[];
    return Array.isArray(list) ? list.map((h) => h.artifact_path).filter((p): p is string => typeof p === 'string' && p !== '') : [];
  } catch {
    return [];
  }
}

/**
 * MLmodel's signature (JSON strings) as the portable record writes it (lists). A signature
 * that does not parse is left out: signature checks then fail on it (closed) rather than
 * judging a guess.
 */
export function mlmodelSignature(text: string): Json | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(text, 'MLmodel').value;
  } catch {
    return undefined;
  }
  const sig = (doc as Json | null)?.signature as Json | null | undefined;
  if (!sig || typeof sig !== 'object') return undefined;
  try {
    parseMlflowSignature(sig);
  } catch (err) {
    if (err instanceof SignatureError || err instanceof InputError) return undefined;
    throw err;
  }
  const list = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : (v ?? null));
  return { inputs: list(sig.inputs), outputs: list(sig.outputs), ...(sig.params !== undefined && sig.params !== null ? { params: list(sig.params) } : {}) };
}

/** NaN and ±Infinity as the portable record writes them. */
function jsonValue(v: number): number | string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;
}

function sortedObject(kvs: { key: string; value: string }[]): Json {
  const out: Json = {};
  for (const { key, value } of [...kvs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
