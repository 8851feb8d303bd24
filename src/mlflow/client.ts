/**
 * A small client for the MLflow tracking server's REST API (no maintained npm client exists),
 * covering what a gate reads: runs, metric histories, registered model versions and aliases,
 * logged models (MLflow 3) and artifacts through the server's proxy.
 *
 * Its rules come from a real server's behaviour (see test/helpers/mlflowServer.ts and the
 * recordings it is checked against):
 * - "absent" is 404 RESOURCE_DOES_NOT_EXIST, and 400 INVALID_PARAMETER_VALUE "alias … not found"
 *   for aliases; callers get `undefined`, never an error, so they can word it (exit 2);
 * - metrics/get-history always sends max_results (without it 3.x answers no rows and a token
 *   that loops forever) and follows next_page_token within a bound;
 * - 408, 429, 5xx and network failures are retried a bounded number of times; every request,
 *   body included, is bounded in time; what outlives that is an MlflowApiError (exit 3);
 * - 2.x and 3.x shapes: versions are strings, int64s come as numbers or strings.
 */
import { EnvironmentError } from '../errors';
import { printable } from '../storage/paths';
import type { MlflowConnection } from './connection';

export interface MlflowKeyValue {
  key: string;
  value: string;
}

export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface MlflowRun {
  info: {
    run_id: string;
    experiment_id: string;
    run_name?: string;
    status: string;
    start_time?: number;
    end_time?: number;
    artifact_uri?: string;
    lifecycle_stage?: string;
  };
  data: { metrics: MlflowMetric[]; params: MlflowKeyValue[]; tags: MlflowKeyValue[] };
  /** MLflow 3: the logged models this run produced. */
  outputs?: { model_outputs?: { model_id: string; step?: number }[] };
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  source?: string;
  run_id?: string;
  status?: string;
  /** Present on some 3.x servers; otherwise the model is reached through `source: models:/m-…`. */
  model_id?: string;
  aliases?: string[];
  tags?: MlflowKeyValue[];
  /** The deprecated stage: None, Staging, Production or Archived. */
  current_stage?: string;
}

export interface MlflowLoggedModel {
  model_id: string;
  experiment_id: string;
  name?: string;
  artifact_uri: string;
  source_run_id?: string;
  status?: string;
}

/** The API refused or kept failing: exit 3. Keeps the HTTP status and MLflow's error_code. */
export class MlflowApiError extends EnvironmentError {
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  constructor(message: string, opts: { status?: number; errorCode?: string; hint?: string; cause?: unknown }) {
    super(message, { ...(opts.hint ? { hint: opts.hint } : {}), cause: opts.cause });
    this.status = opts.status;
    this.errorCode = opts.errorCode;
  }
}

/** Most pages followed in one listing: a server whose tokens never end must not hold the job. */
export const MAX_PAGES = 1000;
/** Points asked for per get-history page (MLflow's own client uses 25000). */
export const HISTORY_PAGE_SIZE = 25_000;

export interface MlflowClient {
  readonly trackingUri: string;
  /** The server's version string (`/version`), or undefined when the server has no such route. */
  serverVersion(): Promise<string | undefined>;
  getRun(runId: string): Promise<MlflowRun | undefined>;
  /** Every point of a metric, in the server's order; [] for an unknown run or key. */
  metricHistory(runId: string, key: string): Promise<MlflowMetric[]>;
  getModelVersion(name: string, version: string): Promise<MlflowModelVersion | undefined>;
  getModelVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion | undefined>;
  getLoggedModel(modelId: string): Promise<MlflowLoggedModel | undefined>;
  /** An artifact's bytes through the server's proxy (`mlflow-artifacts:/…`), or undefined when absent. */
  downloadArtifact(uri: string): Promise<Response | undefined>;
  /** The names directly under an `mlflow-artifacts:/…` directory, or undefined when it is not one. */
  listArtifacts(uri: string): Promise<{ path: string; is_dir: boolean; file_size?: number }[] | undefined>;

  // --- The Model Registry as `sync mlflow` reads and writes it (a block of its own) ---
  /** The registered model with its aliases and tags, or undefined when there is none. */
  getRegisteredModel(name: string): Promise<MlflowRegisteredModel | undefined>;
  /** Every version matching an MLflow filter (`name = 'x'`), all pages. Search results carry no aliases. */
  searchModelVersions(filter: string): Promise<MlflowModelVersion[]>;
  /** Creates it with these tags in the same request (MLflow's CreateRegisteredModel takes tags). */
  createRegisteredModel(name: string, tags?: MlflowKeyValue[]): Promise<void>;
  /** registered-models/set-tag: a tag of the registered model itself. */
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  /** Creates a version (tags included in the same request); never repeated blindly: a retry could register it twice. */
  createModelVersion(req: { name: string; source: string; runId?: string; tags: MlflowKeyValue[]; description?: string }): Promise<MlflowModelVersion>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;
  setAlias(name: string, alias: string, version: string): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  /** The deprecated stages; `archive_existing_versions` is always false (git decides every version's stage). */
  transitionStage(name: string, version: string, stage: string): Promise<void>;
}

export interface MlflowRegisteredModel {
  name: string;
  description?: string;
  aliases: { alias: string; version: string }[];
  tags: MlflowKeyValue[];
}

/** Versions asked for per model-versions/search page. */
export const SEARCH_PAGE_SIZE = 1000;

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export async function createMlflowClient(conn: MlflowConnection): Promise<MlflowClient> {
  const doFetch = await fetcherFor(conn);
  const base = conn.trackingUri;

  /** One request with the retry budget; the answer is read whole (within the time bound). */
  async function send(method: string, path: string, opts: { body?: unknown; stream?: boolean; missing?: RegExp; once?: boolean } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (conn.authorization) headers.authorization = conn.authorization;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let last: { status?: number; message: string } = { message: 'unknown error' };
    const attempts = opts.once ? 1 : conn.attempts;
    for (let i = 0; i < attempts; i++) {
      const signal = AbortSignal.timeout(conn.timeoutMs);
      try {
        const res = await doFetch(`${base}${path}`, {
          method,
          headers,
          signal,
          ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
          redirect: 'error',
        });
        if (!retryable(res.status)) {
          // Stream bodies are bounded by the reader's own timeout; others are read here.
          if (opts.stream && res.ok) return res;
          const bytes = await res.arrayBuffer();
          return new Response(bytes, { status: res.status, headers: res.headers });
        }
        const text = await res.text();
        // The artifact proxy answers a missing file with 500: a verdict, not an outage.
        if (opts.missing?.test(text)) return new Response(text, { status: res.status, headers: res.headers });
        last = { status: res.status, message: `HTTP ${res.status}${errorText(text)}` };
      } catch (err) {
        last = { message: signal.aborted ? `no answer within ${conn.timeoutMs / 1000} s` : causeText(err) };
      }
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, conn.backoffMs * 2 ** i * (0.5 + Math.random())));
    }
    throw new MlflowApiError(scrub(`MLflow tracking server ${base}: ${method} ${path.split('?')[0]} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last.message}`, conn), {
      ...(last.status !== undefined ? { status: last.status } : {}),
      hint: `the tracking server is unreachable or keeps failing; check MLFLOW_TRACKING_URI and the network, then re-run (MODELGATE_MLFLOW_TIMEOUT_MS sets the timeout).${method === 'GET' ? ' Nothing was written.' : ''}`,
    });
  }

  /** The answer's body: its JSON (an empty body is `{}`), or undefined when it is not JSON. */
  async function answer(res: Response): Promise<{ text: string; parsed: object | undefined }> {
    const text = await res.text();
    try {
      const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
      return { text, parsed: typeof parsed === 'object' && parsed !== null ? parsed : undefined };
    } catch {
      return { text, parsed: undefined };
    }
  }

  function notJson(method: string, path: string, status: number): MlflowApiError {
    return new MlflowApiError(`MLflow tracking server ${base}: ${method} ${path.split('?')[0]} answered ${status} with a body that is not JSON`, {
      status,
      hint: 'is MLFLOW_TRACKING_URI the tracking server (not its UI behind a login page)?',
    });
  }

  /** A JSON answer; undefined for "absent"; other refusals are MlflowApiError. */
  async function json<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    const res = await send(method, path, body === undefined ? {} : { body });
    const { text, parsed } = await answer(res);
    if (res.ok) {
      if (parsed === undefined) throw notJson(method, path, res.status);
      return parsed as T;
    }
    const err = (parsed ?? {}) as { error_code?: string; message?: string };
    if (isAbsent(res.status, err)) return undefined;
    throw refusal(method, path, res.status, err, text);
  }

  function refusal(method: string, path: string, status: number, err: { error_code?: string; message?: string }, text: string): MlflowApiError {
    const said = err.message ?? text.slice(0, 200);
    const hint =
      status === 401 ? 'the server refused the credentials: check MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN'
      : status === 403 ? 'the credentials may not read this resource: ask for READ permission on the experiment or registered model'
      : 'the server refused the request; check MLFLOW_TRACKING_URI points at an MLflow tracking server of version 2 or 3';
    return new MlflowApiError(scrub(`MLflow tracking server ${base}: ${method} ${path.split('?')[0]} was refused (${status}${err.error_code ? ` ${err.error_code}` : ''}): ${printable(said)}`, conn), {
      status,
      ...(err.error_code ? { errorCode: err.error_code } : {}),
      hint,
    });
  }

  /** A registry write: any refusal, "absent" included, is an MlflowApiError (exit 3). */
  async function write(method: 'POST' | 'DELETE', path: string, body: Record<string, unknown>, opts: { once?: boolean } = {}): Promise<Record<string, unknown>> {
    const res = await send(method, path, { body, ...(opts.once ? { once: true } : {}) });
    const { text, parsed } = await answer(res);
    if (res.ok && parsed !== undefined) return parsed as Record<string, unknown>;
    if (res.ok) throw notJson(method, path, res.status);
    throw refusal(method, path, res.status, (parsed ?? {}) as { error_code?: string; message?: string }, text);
  }

  const registry = {
    async getRegisteredModel(name: string): Promise<MlflowRegisteredModel | undefined> {
      const body = await json<{ registered_model?: RawRegisteredModel }>('GET', `/api/2.0/mlflow/registered-models/get?${query({ name })}`);
      const rm = body?.registered_model;
      if (!rm) return undefined;
      return {
        name: String(rm.name ?? name),
        ...(typeof rm.description === 'string' && rm.description !== '' ? { description: rm.description } : {}),
        aliases: (rm.aliases ?? []).map((a) => ({ alias: a.alias, version: String(a.version) })),
        tags: (rm.tags ?? []).map((t) => ({ key: t.key, value: String(t.value ?? '') })),
      };
    },
    async searchModelVersions(filter: string): Promise<MlflowModelVersion[]> {
      const out: MlflowModelVersion[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const q = query({ filter, max_results: String(SEARCH_PAGE_SIZE), ...(token ? { page_token: token } : {}) });
        const body = await json<{ model_versions?: RawModelVersion[]; next_page_token?: string }>('GET', `/api/2.0/mlflow/model-versions/search?${q}`);
        const rows = body?.model_versions ?? [];
        for (const v of rows) out.push(normalizeModelVersion(v));
        token = body?.next_page_token || undefined;
        if (token === undefined || rows.length === 0) return out;
        if (seen.has(token)) break;
        seen.add(token);
      }
      throw new MlflowApiError(`MLflow tracking server ${base}: the model version search '${printable(filter)}' did not end after ${MAX_PAGES} pages`, {
        hint: 'the server keeps answering with a next_page_token; check the server version (2.x or 3.x are supported)',
      });
    },
    async createRegisteredModel(name: string, tags: MlflowKeyValue[] = []): Promise<void> {
      await write('POST', '/api/2.0/mlflow/registered-models/create', { name, ...(tags.length ? { tags } : {}) });
    },
    async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
      await write('POST', '/api/2.0/mlflow/registered-models/set-tag', { name, key, value });
    },
    async createModelVersion(req: { name: string; source: string; runId?: string; tags: MlflowKeyValue[]; description?: string }): Promise<MlflowModelVersion> {
      const body = await write(
        'POST',
        '/api/2.0/mlflow/model-versions/create',
        { name: req.name, source: req.source, ...(req.runId ? { run_id: req.runId } : {}), tags: req.tags, ...(req.description ? { description: req.description } : {}) },
        { once: true },
      );
      const mv = body.model_version as RawModelVersion | undefined;
      if (!mv || mv.version === undefined) throw new MlflowApiError(`MLflow tracking server ${base}: model-versions/create answered without the new version`, {});
      return normalizeModelVersion(mv);
    },
    async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
      await write('POST', '/api/2.0/mlflow/model-versions/set-tag', { name, version, key, value });
    },
    async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
      await write('DELETE', '/api/2.0/mlflow/model-versions/delete-tag', { name, version, key });
    },
    async setAlias(name: string, alias: string, version: string): Promise<void> {
      await write('POST', '/api/2.0/mlflow/registered-models/alias', { name, alias, version });
    },
    async deleteAlias(name: string, alias: string): Promise<void> {
      await write('DELETE', '/api/2.0/mlflow/registered-models/alias', { name, alias });
    },
    async transitionStage(name: string, version: string, stage: string): Promise<void> {
      await write('POST', '/api/2.0/mlflow/model-versions/transition-stage', { name, version, stage, archive_existing_versions: false });
    },
  };

  return {
    trackingUri: base,
    async serverVersion() {
      const res = await send('GET', '/version');
      if (!res.ok) return undefined; // older servers have no /version
      const text = (await res.text()).trim();
      return /^[0-9][0-9A-Za-z.+-]{0,63}$/.test(text) ? text : undefined;
    },
    async getRun(runId) {
      const body = await json<{ run?: RawRun }>('GET', `/api/2.0/mlflow/runs/get?${query({ run_id: runId })}`);
      return body?.run ? normalizeRun(body.run) : undefined;
    },
    async metricHistory(runId, key) {
      const points: MlflowMetric[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const q = query({ run_id: runId, metric_key: key, max_results: String(HISTORY_PAGE_SIZE), ...(token ? { page_token: token } : {}) });
        const body = await json<{ metrics?: RawMetric[]; next_page_token?: string }>('GET', `/api/2.0/mlflow/metrics/get-history?${q}`);
        const rows = body?.metrics ?? [];
        for (const m of rows) points.push(normalizeMetric(m));
        token = body?.next_page_token || undefined;
        // A page with no rows ends the listing even with a token: that is the 3.x loop.
        if (token === undefined || rows.length === 0) return points;
        if (seen.has(token)) break;
        seen.add(token);
      }
      throw new MlflowApiError(`MLflow tracking server ${base}: the history of metric '${printable(key)}' of run ${runId} did not end after ${MAX_PAGES} pages`, {
        hint: 'the server keeps answering with a next_page_token; check the server version (2.x or 3.x are supported)',
      });
    },
    async getModelVersion(name, version) {
      const body = await json<{ model_version?: RawModelVersion }>('GET', `/api/2.0/mlflow/model-versions/get?${query({ name, version })}`);
      return body?.model_version ? normalizeModelVersion(body.model_version) : undefined;
    },
    async getModelVersionByAlias(name, alias) {
      const body = await json<{ model_version?: RawModelVersion }>('GET', `/api/2.0/mlflow/registered-models/alias?${query({ name, alias })}`);
      return body?.model_version ? normalizeModelVersion(body.model_version) : undefined;
    },
    async getLoggedModel(modelId) {
      const body = await json<{ model?: { info?: MlflowLoggedModel } }>('GET', `/api/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}`);
      const info = body?.model?.info;
      return info ? { ...info, experiment_id: String(info.experiment_id) } : undefined;
    },
    async downloadArtifact(uri) {
      const path = artifactPath(uri);
      const res = await send('GET', `/api/2.0/mlflow-artifacts/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`, { stream: true, missing: MISSING_ARTIFACT });
      if (res.ok) return res;
      const text = await res.text();
      // A missing file through the proxy is 500 INTERNAL_ERROR naming "No such file" (MLflow 3.5).
      if (res.status === 404 || (res.status === 500 && MISSING_ARTIFACT.test(text))) return undefined;
      let err: { error_code?: string; message?: string } = {};
      try {
        err = JSON.parse(text) as typeof err;
      } catch {
        /* not JSON: the text is shown */
      }
      throw refusal('GET', `/api/2.0/mlflow-artifacts/artifacts/${path}`, res.status, err, text);
    },
    async listArtifacts(uri) {
      const path = artifactPath(uri);
      const body = await json<{ files?: { path: string; is_dir: boolean; file_size?: number | string }[] }>('GET', `/api/2.0/mlflow-artifacts/artifacts?${query({ path })}`);
      if (!body) return undefined;
      return (body.files ?? []).map((f) => ({ path: f.path, is_dir: Boolean(f.is_dir), ...(f.file_size !== undefined ? { file_size: Number(f.file_size) } : {}) }));
    },
    // The Model Registry (sync mlflow).
    ...registry,
  };
}

interface RawRegisteredModel {
  name?: string;
  description?: string;
  tags?: MlflowKeyValue[];
  aliases?: { alias: string; version: string | number }[];
}

/** `mlflow-artifacts:/1/abc/artifacts/model` (or `mlflow-artifacts://host/…`) → `1/abc/artifacts/model`. */
export function artifactPath(uri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.*)$/.exec(uri);
  if (!m) throw new EnvironmentError(`'${printable(uri)}' is not an mlflow-artifacts:/ URI`);
  return m[1]!.replace(/\/+$/, '');
}

/** What the proxy's 500 for a missing file says (local, S3 and other artifact stores). */
const MISSING_ARTIFACT = /No such file or directory|NoSuchKey|does not exist/i;

export function isMlflowArtifactsUri(uri: string): boolean {
  return uri.startsWith('mlflow-artifacts:');
}

// ------------------------------------------------------------------------------------------
// Shapes: 2.x sends int64s as strings in some fields, 3.x as numbers; versions are strings.

interface RawMetric {
  key: string;
  value: number | string;
  timestamp: number | string;
  step?: number | string;
}
interface RawRun {
  info: Record<string, unknown>;
  data?: { metrics?: RawMetric[]; params?: MlflowKeyValue[]; tags?: MlflowKeyValue[] };
  outputs?: { model_outputs?: { model_id: string; step?: number | string }[] };
}
interface RawModelVersion extends Omit<MlflowModelVersion, 'version'> {
  version: string | number;
}

function int(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** MLflow's JSON sends non-finite metric values as the strings NaN / Infinity / -Infinity. */
function metricValue(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

function normalizeMetric(m: RawMetric): MlflowMetric {
  return { key: m.key, value: metricValue(m.value), timestamp: int(m.timestamp) ?? 0, step: int(m.step) ?? 0 };
}

function normalizeRun(raw: RawRun): MlflowRun {
  const i = raw.info;
  const runId = String(i.run_id ?? i.run_uuid ?? '');
  const start = int(i.start_time);
  const end = int(i.end_time);
  const outputs = raw.outputs?.model_outputs?.map((o) => ({ model_id: o.model_id, ...(int(o.step) !== undefined ? { step: int(o.step)! } : {}) }));
  return {
    info: {
      run_id: runId,
      experiment_id: String(i.experiment_id ?? ''),
      ...(typeof i.run_name === 'string' ? { run_name: i.run_name } : {}),
      status: String(i.status ?? ''),
      ...(start !== undefined ? { start_time: start } : {}),
      ...(end !== undefined ? { end_time: end } : {}),
      ...(typeof i.artifact_uri === 'string' ? { artifact_uri: i.artifact_uri } : {}),
      ...(typeof i.lifecycle_stage === 'string' ? { lifecycle_stage: i.lifecycle_stage } : {}),
    },
    data: {
      metrics: (raw.data?.metrics ?? []).map(normalizeMetric),
      params: (raw.data?.params ?? []).map((p) => ({ key: p.key, value: String(p.value ?? '') })),
      tags: (raw.data?.tags ?? []).map((t) => ({ key: t.key, value: String(t.value ?? '') })),
    },
    ...(outputs ? { outputs: { model_outputs: outputs } } : {}),
  };
}

function normalizeModelVersion(raw: RawModelVersion): MlflowModelVersion {
  return { ...raw, version: String(raw.version) };
}

function isAbsent(status: number, err: { error_code?: string; message?: string }): boolean {
  if (status === 404) return err.error_code === undefined || err.error_code === 'RESOURCE_DOES_NOT_EXIST';
  // get-by-alias answers 400 for an unknown alias (and for an unknown model).
  return status === 400 && err.error_code === 'INVALID_PARAMETER_VALUE' && /alias .* not found/i.test(err.message ?? '');
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

function errorText(text: string): string {
  try {
    const msg = (JSON.parse(text) as { message?: string }).message;
    return msg ? `: ${printable(msg.slice(0, 300))}` : '';
  } catch {
    return '';
  }
}

function causeText(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? '';
  return `${e?.message ?? String(err)}${code ? ` (${code})` : e?.cause?.message ? ` (${e.cause.message})` : ''}`;
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

function scrub(text: string, conn: MlflowConnection): string {
  let out = text;
  for (const s of conn.secrets) if (s) out = out.split(s).join('***');
  return out;
}

/**
 * Node's fetch, or undici's with an Agent when TLS is configured (a custom CA or no
 * verification): only an Agent carries those options. undici is imported only then.
 */
async function fetcherFor(conn: MlflowConnection): Promise<Fetch> {
  if (!conn.insecureTls && conn.ca === undefined) return (url, init) => fetch(url, init);
  const undici = await import('undici');
  const agent = new undici.Agent({ connect: { rejectUnauthorized: !conn.insecureTls, ...(conn.ca !== undefined ? { ca: conn.ca } : {}) } });
  return (url, init) => undici.fetch(url, { ...(init as object), dispatcher: agent } as never) as unknown as Promise<Response>;
}
