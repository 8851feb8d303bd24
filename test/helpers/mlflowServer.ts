/**
 * A local, stateful stand-in for the MLflow tracking server's REST API, answering exactly like
 * the MLflow 3.5 server recorded in /work/shared/mlflow/recordings (field names, string
 * versions, error codes and messages, the get-history pagination quirk, the unknown-run empty
 * body, the proxied artifact paths, the 500 for a missing artifact). test/mlflow/standIn.test.ts
 * replays the recorded requests against it and compares the bodies, so it stays faithful.
 *
 * It is seeded from the recordings (experiment 1, the sweep parent and its two child runs, the
 * registered model `churn-classifier` with versions 1 and 2, logged models, MLmodel files);
 * tests add runs, models and artifacts of their own, require basic or bearer auth, and inject
 * failures (5xx, 429, hangs). Binds 127.0.0.1 on an ephemeral port and stops itself after
 * `lifetimeMs`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const RECORDINGS = '/work/shared/mlflow/recordings';

export interface Recording {
  file: string;
  name: string;
  request: { method: string; path: string; url_path_and_query: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body?: unknown; body_text?: string };
}

export function loadRecordings(): Recording[] {
  return readdirSync(RECORDINGS)
    .filter((f) => /^\d+_.*\.json$/.test(f))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8')) as Omit<Recording, 'file'>) }));
}

type KV = { key: string; value: string };
export interface StandInMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}
/** A run as runs/get answers it, plus its full metric histories. */
export interface StandInRun {
  info: {
    run_uuid: string;
    experiment_id: string;
    run_name: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: string;
    run_id: string;
  };
  data: { metrics: StandInMetric[]; params: KV[]; tags: KV[] };
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  history: Record<string, StandInMetric[]>;
}
export interface StandInVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  status: string;
  tags: KV[];
  run_link: string;
}
export interface StandInModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  tags: KV[];
  versions: StandInVersion[];
  /** alias → version */
  aliases: Map<string, string>;
}
export interface StandInLoggedModel {
  info: Record<string, unknown> & { model_id: string; artifact_uri: string };
  data: { params: KV[]; metrics: unknown[] };
}

export interface Injected {
  /** Matched against `METHOD /path?query`. */
  match: RegExp;
  status: number;
  times: number;
  body?: unknown;
  /** Accept the request and never answer. */
  hang?: boolean;
}

export type StandInAuth = { username: string; password: string } | { token: string };

export interface StandInOptions {
  lifetimeMs?: number;
  auth?: StandInAuth;
  /** Seed from the recordings (default true). */
  seed?: boolean;
  /** What /version answers; `null`: no /version route (404, like old 2.x servers). */
  version?: string | null;
  /** Most rows per model-versions/search page, whatever max_results asks (real servers cap pages too). */
  searchPageSize?: number;
}

export interface MlflowStandIn {
  url: string;
  runs: Map<string, StandInRun>;
  models: Map<string, StandInModel>;
  loggedModels: Map<string, StandInLoggedModel>;
  /** Artifact store: `1/<run>/artifacts/model/MLmodel` → bytes (what mlflow-artifacts:/ names). */
  artifacts: Map<string, Buffer>;
  /** Every request, `METHOD /path?query`, with the authorization header it carried. */
  requests: { line: string; authorization?: string }[];
  inject(f: Omit<Injected, 'times'> & { times?: number }): void;
  /** Adds (or replaces) a run; histories default to the latest value of each metric. */
  addRun(run: Partial<Omit<StandInRun, 'info' | 'data'>> & { info: Partial<StandInRun['info']> & { run_id: string }; data?: Partial<StandInRun['data']> }): StandInRun;
  /** Writes an artifact under a run's or a logged model's artifact root (an `mlflow-artifacts:/` URI). */
  putArtifact(uri: string, content: string | Buffer): void;
  stop(): Promise<void>;
  // --- sync mlflow ---
  /** The write requests (every method but GET) received so far, `METHOD /path`. */
  writes(): string[];
  /**
   * The `nth` write request from now (1-based) and the `times - 1` writes after it (the client's
   * retries of it) fail with `status` (default 503) before the server handles them.
   */
  failWrite(nth: number, opts?: { status?: number; times?: number }): void;
}

const SERVER_VERSION = '3.5.2.dev0';
const NOT_AUTHENTICATED = 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.';
const METHOD_NOT_ALLOWED = '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';

export async function startMlflowServer(opts: StandInOptions = {}): Promise<MlflowStandIn> {
  const runs = new Map<string, StandInRun>();
  const models = new Map<string, StandInModel>();
  const loggedModels = new Map<string, StandInLoggedModel>();
  const artifacts = new Map<string, Buffer>();
  const injected: Injected[] = [];
  const requests: MlflowStandIn['requests'] = [];
  const writeFaults: { from: number; times: number; status: number }[] = [];
  let writesSeen = 0;
  const serverVersion = opts.version === undefined ? SERVER_VERSION : opts.version;

  const addRun: MlflowStandIn['addRun'] = (r) => {
    const id = r.info.run_id;
    const metrics = r.data?.metrics ?? [];
    const history: Record<string, StandInMetric[]> = {};
    for (const m of metrics) history[m.key] = [m];
    const run: StandInRun = {
      info: {
        run_uuid: id,
        experiment_id: '1',
        run_name: id.slice(0, 8),
        user_id: 'ci-bot',
        status: 'FINISHED',
        start_time: 1796238073015,
        end_time: 1796238077896,
        artifact_uri: `mlflow-artifacts:/1/${id}/artifacts`,
        lifecycle_stage: 'active',
        ...r.info,
      },
      data: { metrics, params: r.data?.params ?? [], tags: r.data?.tags ?? [] },
      inputs: r.inputs ?? {},
      outputs: r.outputs ?? {},
      history: { ...history, ...(r.history ?? {}) },
    };
    runs.set(id, run);
    return run;
  };
  const putArtifact = (uri: string, content: string | Buffer) => {
    artifacts.set(uri.replace(/^mlflow-artifacts:\/+/, '').replace(/^\/+/, ''), Buffer.from(content));
  };

  if (opts.seed !== false) seed({ runs, models, loggedModels, artifacts, addRun });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        send(res, 500, { error_code: 'INTERNAL_ERROR', message: String(err) });
      }
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const line = `${req.method} ${url.pathname}${url.search}`;
    requests.push({ line, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (req.method !== 'GET' && writeFaults.length > 0) {
      writesSeen++;
      const f = writeFaults.find((x) => writesSeen >= x.from && writesSeen < x.from + x.times);
      if (f) return send(res, f.status, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'injected write failure' });
    }
    const inj = injected.find((i) => i.times > 0 && i.match.test(line));
    if (inj) {
      inj.times--;
      if (inj.hang) return; // never answered; the client's timeout must end it
      send(res, inj.status, inj.body ?? { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'injected failure' });
      return;
    }
    if (opts.auth && !authorized(req.headers.authorization, opts.auth)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="mlflow"' });
      res.end(NOT_AUTHENTICATED);
      return;
    }
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    const p = url.pathname;
    const route = ROUTES.find((r) => r.match(p));
    if (!route) return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: 'No API route found' });
    if (!route.methods.includes(method)) {
      res.writeHead(405, { 'content-type': 'text/html; charset=utf-8', allow: route.methods.join(', ') });
      res.end(METHOD_NOT_ALLOWED);
      return;
    }
    let body: Record<string, unknown> = {};
    if (method !== 'GET') {
      if (!/application\/json/.test(req.headers['content-type'] ?? '')) {
        return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: "Bad Request. Content-Type must be one of ['application/json']." });
      }
      try {
        body = rawBody.trim() ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { error_code: 'MALFORMED_REQUEST', message: 'Malformed JSON' });
      }
    }
    const get = (name: string) => (method === 'GET' ? (q.get(name) ?? undefined) : (body[name] as string | undefined));
    route.handle({ method, path: p, get, res, body });
  }

  interface Ctx {
    method: string;
    path: string;
    get(name: string): string | undefined;
    res: ServerResponse;
    body: Record<string, unknown>;
  }
  const exact = (path: string) => (p: string) => p === path;
  const ROUTES: { match: (p: string) => boolean; methods: string[]; handle: (c: Ctx) => void }[] = [
    {
      match: exact('/version'),
      methods: ['GET'],
      handle: ({ res }) => {
        if (serverVersion === null) return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: 'No API route found' });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(serverVersion);
      },
    },
    {
      match: exact('/health'),
      methods: ['GET'],
      handle: ({ res }) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('OK');
      },
    },
    {
      match: exact('/api/2.0/mlflow/runs/get'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const id = get('run_id');
        if (!id) return missingParam(res, 'run_id');
        const run = runs.get(id);
        if (!run) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${id} not found` });
        send(res, 200, { run: { info: run.info, data: run.data, inputs: run.inputs, outputs: run.outputs } });
      },
    },
    {
      match: exact('/api/2.0/mlflow/metrics/get-history'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const id = get('run_id');
        if (!id) return missingParam(res, 'run_id');
        const key = get('metric_key');
        if (!key) return missingParam(res, 'metric_key');
        const points = runs.get(id)?.history[key] ?? [];
        const offset = decodeToken(get('page_token'));
        const max = Number(get('max_results') ?? 0);
        // MLflow 3.x: no max_results means a page of none, and a token that starts over.
        const page = points.slice(offset, offset + max);
        const next = offset + max < points.length || (max === 0 && points.length > 0) ? encodeToken(offset + max) : undefined;
        send(res, 200, { ...(page.length ? { metrics: page } : {}), ...(next !== undefined ? { next_page_token: next } : {}) });
      },
    },
    {
      match: exact('/api/2.0/mlflow/registered-models/get'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const name = get('name') ?? '';
        const m = models.get(name);
        if (!m) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Registered Model with name=${name} not found` });
        send(res, 200, { registered_model: registeredModelBody(m) });
      },
    },
    {
      match: exact('/api/2.0/mlflow/registered-models/alias'),
      methods: ['GET', 'POST', 'DELETE'],
      handle: ({ method, get, res }) => {
        const name = get('name') ?? '';
        const alias = get('alias') ?? '';
        const m = models.get(name);
        if (method === 'GET') {
          const v = m?.aliases.get(alias);
          const mv = v === undefined ? undefined : m!.versions.find((x) => x.version === v);
          if (!mv) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Registered model alias ${alias} not found.` });
          return send(res, 200, { model_version: versionBody(m!, mv) });
        }
        if (method === 'DELETE') {
          m?.aliases.delete(alias);
          return send(res, 200, {});
        }
        const version = String(get('version') ?? '');
        if (alias.toLowerCase() === 'latest') return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: "'latest' alias name (case insensitive) is reserved." });
        if (!/^[\w-]+$/.test(alias)) {
          return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).` });
        }
        // Not recorded: MLflow's _validate_model_alias_name (mlflow/utils/validation.py) also reserves v<N>.
        if (/^v\d+$/i.test(alias)) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Version alias name '${alias}' is reserved.` });
        if (!m || !m.versions.some((x) => x.version === version)) {
          return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Model Version (name=${name}, version=${version}) not found` });
        }
        m.aliases.set(alias, version);
        send(res, 200, {});
      },
    },
    {
      match: exact('/api/2.0/mlflow/registered-models/set-tag'),
      methods: ['POST'],
      handle: ({ get, res }) => {
        const m = models.get(get('name') ?? '');
        if (!m) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Registered Model with name=${get('name')} not found` });
        setTag(m.tags, get('key') ?? '', get('value') ?? '');
        send(res, 200, {});
      },
    },
    {
      match: exact('/api/2.0/mlflow/model-versions/get'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const { m, v } = findVersion(get('name') ?? '', get('version') ?? '');
        if (!m || !v) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Model Version (name=${get('name')}, version=${get('version')}) not found` });
        send(res, 200, { model_version: versionBody(m, v) });
      },
    },
    {
      match: (p) => p === '/api/2.0/mlflow/model-versions/set-tag' || p === '/api/2.0/mlflow/model-versions/delete-tag',
      methods: ['POST', 'DELETE'],
      handle: ({ path, get, res }) => {
        const { v } = findVersion(get('name') ?? '', String(get('version') ?? ''));
        if (!v) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Model Version (name=${get('name')}, version=${get('version')}) not found` });
        if (path.endsWith('set-tag')) setTag(v.tags, get('key') ?? '', get('value') ?? '');
        else v.tags = v.tags.filter((t) => t.key !== get('key'));
        send(res, 200, {});
      },
    },
    {
      match: (p) => p.startsWith('/api/2.0/mlflow/logged-models/'),
      methods: ['GET'],
      handle: ({ path, res }) => {
        const id = decodeURIComponent(path.slice('/api/2.0/mlflow/logged-models/'.length));
        const lm = loggedModels.get(id);
        if (!lm) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Logged model with ID '${id}' not found.` });
        send(res, 200, { model: lm });
      },
    },
    {
      match: exact('/api/2.0/mlflow/artifacts/list'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const run = runs.get(get('run_id') ?? '');
        if (!run) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${get('run_id')} not found` });
        const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, '');
        const sub = get('path') ?? '';
        send(res, 200, { root_uri: run.info.artifact_uri, files: list(sub ? `${root}/${sub}` : root, sub) });
      },
    },
    {
      match: exact('/api/2.0/mlflow-artifacts/artifacts'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const files = list(get('path') ?? '', '').map((f) => ({ ...f }));
        send(res, 200, files.length ? { files } : {});
      },
    },
    {
      match: (p) => p.startsWith('/api/2.0/mlflow-artifacts/artifacts/'),
      methods: ['GET'],
      handle: ({ path, res }) => {
        const rel = path.slice('/api/2.0/mlflow-artifacts/artifacts/'.length).split('/').map(decodeURIComponent).join('/');
        const bytes = artifacts.get(rel);
        if (!bytes) {
          return send(res, 500, {
            error_code: 'INTERNAL_ERROR',
            message: `The following failures occurred while downloading one or more artifacts from <SERVER_DIR>/artifacts:\n##### File ${rel} #####\n[Errno 2] No such file or directory: '<SERVER_DIR>/artifacts/${rel}'`,
          });
        }
        const name = rel.split('/').pop()!;
        res.writeHead(200, { 'content-type': name.endsWith('.json') || !name.includes('.') || name.endsWith('.txt') || name.endsWith('.yaml') ? 'text/plain' : 'application/octet-stream', 'content-disposition': `attachment; filename=${name}` });
        res.end(bytes);
      },
    },
  ];

  // --- Registry routes sync mlflow needs. registered-models/search and model-versions/search
  // answer as recorded (20, 25, 26); registered-models/create, model-versions/create and
  // model-versions/transition-stage were not recorded: their shapes and errors follow MLflow's
  // REST API docs and mlflow/protos/model_registry.proto (CreateRegisteredModel,
  // CreateModelVersion, TransitionModelVersionStage), and its stores' messages.
  ROUTES.push(
    {
      match: exact('/api/2.0/mlflow/registered-models/search'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const found = [...models.values()].filter((m) => matchesFilter(get('filter'), { name: m.name, tags: m.tags }));
        found.sort((a, b) => (a.name < b.name ? -1 : 1));
        const { page, next } = paginate(found, get('max_results'), get('page_token'), 100);
        send(res, 200, { ...(page.length ? { registered_models: page.map(registeredModelBody) } : {}), ...(next ? { next_page_token: next } : {}) });
      },
    },
    {
      match: exact('/api/2.0/mlflow/model-versions/search'),
      methods: ['GET'],
      handle: ({ get, res }) => {
        const all = [...models.values()].flatMap((m) => m.versions);
        const found = all.filter((v) => matchesFilter(get('filter'), { name: v.name, run_id: v.run_id, tags: v.tags }));
        // Default order: name ASC, version DESC (the SQL store's); `version_number ASC|DESC` as asked.
        const asc = /version_number\s+ASC/i.test(get('order_by') ?? '');
        found.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : asc ? Number(a.version) - Number(b.version) : Number(b.version) - Number(a.version)));
        // Real servers cap pages too (searchPageSize makes a test page through several).
        const asked = Number(get('max_results') ?? 10_000) || 10_000;
        const { page, next } = paginate(found, String(Math.min(asked, opts.searchPageSize ?? Infinity)), get('page_token'), 10_000);
        // Search results carry no aliases (recording 25).
        send(res, 200, { ...(page.length ? { model_versions: page } : {}), ...(next ? { next_page_token: next } : {}) });
      },
    },
    {
      match: exact('/api/2.0/mlflow/registered-models/create'),
      methods: ['POST'],
      handle: ({ body, res }) => {
        const name = typeof body.name === 'string' ? body.name : '';
        if (!name) return missingParam(res, 'name');
        if (models.has(name)) return send(res, 400, { error_code: 'RESOURCE_ALREADY_EXISTS', message: `Registered Model (name=${name}) already exists.` });
        const now = Date.now();
        const tags = Array.isArray(body.tags) ? (body.tags as KV[]).map((t) => ({ key: String(t.key), value: String(t.value) })) : [];
        const description = typeof body.description === 'string' ? body.description : '';
        models.set(name, { name, creation_timestamp: now, last_updated_timestamp: now, description, tags, versions: [], aliases: new Map() });
        send(res, 200, { registered_model: { name, creation_timestamp: now, last_updated_timestamp: now, ...(description ? { description } : {}), ...(tags.length ? { tags } : {}) } });
      },
    },
    {
      match: exact('/api/2.0/mlflow/model-versions/create'),
      methods: ['POST'],
      handle: ({ body, res }) => {
        const name = typeof body.name === 'string' ? body.name : '';
        if (!name) return missingParam(res, 'name');
        const source = typeof body.source === 'string' ? body.source : '';
        if (!source) return missingParam(res, 'source');
        const m = models.get(name);
        if (!m) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Registered Model with name=${name} not found` });
        const now = Date.now();
        const v: StandInVersion = {
          name,
          version: String(Math.max(0, ...m.versions.map((x) => Number(x.version))) + 1),
          creation_timestamp: now,
          last_updated_timestamp: now,
          current_stage: 'None',
          description: typeof body.description === 'string' ? body.description : '',
          source,
          run_id: typeof body.run_id === 'string' ? body.run_id : '',
          status: 'READY',
          tags: Array.isArray(body.tags) ? (body.tags as KV[]).map((t) => ({ key: String(t.key), value: String(t.value) })) : [],
          run_link: typeof body.run_link === 'string' ? body.run_link : '',
        };
        m.versions.push(v);
        m.last_updated_timestamp = now;
        send(res, 200, { model_version: versionBody(m, v) });
      },
    },
    {
      match: exact('/api/2.0/mlflow/model-versions/transition-stage'),
      methods: ['POST'],
      handle: ({ body, res }) => {
        const name = String(body.name ?? '');
        const version = String(body.version ?? '');
        const stage = STAGES_CI.get(String(body.stage ?? '').toLowerCase());
        if (body.stage === undefined) return missingParam(res, 'stage');
        if (body.archive_existing_versions === undefined) return missingParam(res, 'archive_existing_versions');
        if (!stage) {
          return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid Model Version stage: ${String(body.stage)}. Value must be one of None, Staging, Production, Archived.` });
        }
        const { m, v } = findVersion(name, version);
        if (!m || !v) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Model Version (name=${name}, version=${version}) not found` });
        const now = Date.now();
        if (body.archive_existing_versions === true && (stage === 'Staging' || stage === 'Production')) {
          for (const other of m.versions) if (other !== v && other.current_stage === stage) Object.assign(other, { current_stage: 'Archived', last_updated_timestamp: now });
        }
        Object.assign(v, { current_stage: stage, last_updated_timestamp: now });
        send(res, 200, { model_version: versionBody(m, v) });
      },
    },
  );

  function list(dir: string, prefix: string): { path: string; is_dir: boolean; file_size?: number }[] {
    const base = dir.replace(/\/+$/, '');
    const seen = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
    for (const [k, v] of artifacts) {
      if (!k.startsWith(`${base}/`)) continue;
      const rest = k.slice(base.length + 1);
      const [head, ...more] = rest.split('/');
      const path = prefix ? `${prefix}/${head}` : head!;
      seen.set(head!, more.length ? { path, is_dir: true } : { path, is_dir: false, file_size: v.length });
    }
    return [...seen.keys()].sort().map((k) => seen.get(k)!);
  }

  function findVersion(name: string, version: string): { m?: StandInModel; v?: StandInVersion } {
    const m = models.get(name);
    return { ...(m ? { m } : {}), ...(m?.versions.find((x) => x.version === version) ? { v: m.versions.find((x) => x.version === version)! } : {}) };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setTimeout(() => void stop(), opts.lifetimeMs ?? 120_000);
  timer.unref();
  let stopped: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopped ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
    return stopped;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runs,
    models,
    loggedModels,
    artifacts,
    requests,
    inject: (f) => injected.push({ times: 1, ...f }),
    addRun,
    putArtifact,
    stop,
    writes: () => requests.filter((r) => !r.line.startsWith('GET ')).map((r) => r.line.split('?')[0]!),
    failWrite: (nth, o = {}) => {
      // Counted from now: writes already seen are not renumbered.
      writeFaults.push({ from: writesSeen + nth, times: o.times ?? 1, status: o.status ?? 503 });
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function missingParam(res: ServerResponse, name: string): void {
  send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.` });
}

function authorized(header: string | undefined, auth: StandInAuth): boolean {
  if (!header) return false;
  if ('token' in auth) return header === `Bearer ${auth.token}`;
  return header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** Python's json.dumps({"offset": n}), base64: the tokens the real server hands out. */
function encodeToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`).toString('base64');
}
function decodeToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    return Number((JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: number }).offset) || 0;
  } catch {
    return 0;
  }
}

function setTag(tags: KV[], key: string, value: string): void {
  const t = tags.find((x) => x.key === key);
  if (t) t.value = value;
  else tags.push({ key, value });
}

function versionBody(m: StandInModel, v: StandInVersion): Record<string, unknown> {
  const aliases = [...m.aliases].filter(([, ver]) => ver === v.version).map(([a]) => a).sort();
  return { ...v, aliases };
}

function registeredModelBody(m: StandInModel): Record<string, unknown> {
  // latest_versions: the newest version of each stage (all are stage "None" on 3.x), without aliases.
  const byStage = new Map<string, StandInVersion>();
  for (const v of m.versions) {
    const cur = byStage.get(v.current_stage);
    if (!cur || Number(v.version) > Number(cur.version)) byStage.set(v.current_stage, v);
  }
  const aliases = [...m.aliases].sort(([a], [b]) => (a < b ? -1 : 1)).map(([alias, version]) => ({ alias, version }));
  const { versions: _v, aliases: _a, ...rest } = m;
  return { ...rest, latest_versions: [...byStage.values()], tags: m.tags, ...(aliases.length ? { aliases } : {}) };
}

// ------------------------------------------------------------------------------------------
// Seeding from the recordings: the state the recorded server was in before the first request.

function seed(s: Pick<MlflowStandIn, 'runs' | 'models' | 'loggedModels' | 'artifacts' | 'addRun'>): void {
  const recs = loadRecordings();
  const body = (name: string) => recs.find((r) => r.name === name)!.response.body as Record<string, unknown>;
  const text = (name: string) => recs.find((r) => r.name === name)!.response.body_text!;
  const rawRuns = new Map<string, Omit<StandInRun, 'history'>>();
  for (const r of recs) {
    const b = r.response.body as { run?: Omit<StandInRun, 'history'>; runs?: Omit<StandInRun, 'history'>[] } | undefined;
    if (r.response.status !== 200 || !b) continue;
    for (const run of [...(b.run ? [b.run] : []), ...(b.runs ?? [])]) if (!rawRuns.has(run.info.run_id)) rawRuns.set(run.info.run_id, run);
  }
  for (const run of rawRuns.values()) s.addRun(structuredClone(run) as never);
  // Recorded full histories (single pages, or the pages of a paged read).
  for (const r of recs) {
    if (r.request.path !== '/api/2.0/mlflow/metrics/get-history' || r.response.status !== 200) continue;
    const q = new URL(r.request.url_path_and_query, 'http://x').searchParams;
    const points = (r.response.body as { metrics?: StandInMetric[] }).metrics;
    const run = s.runs.get(q.get('run_id') ?? '');
    if (!run || !points || !q.get('max_results')) continue;
    const key = q.get('metric_key')!;
    if (q.get('page_token')) run.history[key] = [...(run.history[key] ?? []), ...points];
    else run.history[key] = [...points];
  }
  const rm = body('registered-models-get').registered_model as unknown as Record<string, unknown> & { aliases: { alias: string; version: string }[] };
  const versions = ['model-versions-get-1', 'model-versions-get-2'].map((n) => {
    const { aliases: _a, ...v } = body(n).model_version as unknown as StandInVersion & { aliases: string[] };
    return v;
  });
  s.models.set(String(rm.name), {
    name: String(rm.name),
    creation_timestamp: rm.creation_timestamp as number,
    last_updated_timestamp: rm.last_updated_timestamp as number,
    description: String(rm.description),
    tags: structuredClone(rm.tags as KV[]),
    versions,
    aliases: new Map(rm.aliases.map((a) => [a.alias, a.version])),
  });
  const lm = body('logged-models-get').model as unknown as StandInLoggedModel;
  s.loggedModels.set(lm.info.model_id, structuredClone(lm));
  // The first child's logged model was not fetched: derived from its run, shaped like the one that was.
  const child = s.runs.get('3c230151bf964df78cdeb657d6ddc136')!;
  const childModel = 'm-a1032d507ff04e4e8623a178004f7a80';
  s.loggedModels.set(childModel, {
    info: {
      ...lm.info,
      model_id: childModel,
      artifact_uri: `mlflow-artifacts:/1/models/${childModel}/artifacts`,
      source_run_id: child.info.run_id,
      tags: [...(lm.info.tags as KV[]).filter((t) => t.key !== 'mlflow.modelVersions'), { key: 'mlflow.modelVersions', value: '[{"name": "churn-classifier", "version": "1"}]' }].sort((a, b) => (a.key < b.key ? -1 : 1)),
    },
    data: {
      params: [...child.data.params].sort((a, b) => (a.key < b.key ? -1 : 1)),
      metrics: child.data.metrics.map((m) => ({ ...m, model_id: childModel, run_id: child.info.run_id })),
    },
  });
  const put = (path: string, content: string | Buffer) => s.artifacts.set(path, Buffer.from(content));
  put('1/3c230151bf964df78cdeb657d6ddc136/artifacts/eval/slice_auc.json', text('mlflow-artifacts-download-run-file'));
  const modelDir = `1/models/${lm.info.model_id}/artifacts`;
  const files = (body('mlflow-artifacts-list-model').files as unknown as { path: string; file_size: number }[]);
  for (const f of files) put(`${modelDir}/${f.path}`, Buffer.alloc(f.file_size, 0x20)); // sizes as recorded; contents unknown
  put(`${modelDir}/MLmodel`, text('mlflow-artifacts-download-MLmodel'));
  put(`${modelDir}/requirements.txt`, text('mlflow-artifacts-download-requirements'));
  put(`1/models/${childModel}/artifacts/MLmodel`, text('model-versions-get-artifact-MLmodel'));
  put(`1/models/${childModel}/artifacts/model.pkl`, Buffer.alloc(1176, 0x20));
}

// ------------------------------------------------------------------------------------------
// Search filters and pages (registered-models/search, model-versions/search).

const STAGES_CI = new Map(['None', 'Staging', 'Production', 'Archived'].map((x) => [x.toLowerCase(), x]));

/**
 * The part of MLflow's search filter grammar a registry client uses: `attr = 'value'` clauses
 * (name, run_id, tags.<key>) joined by AND, and `name LIKE 'pattern'` (% and _ wildcards).
 */
function matchesFilter(filter: string | undefined, item: { name: string; run_id?: string; tags: KV[] }): boolean {
  if (!filter || !filter.trim()) return true;
  return filter.split(/\s+AND\s+/i).every((clause) => {
    const m = /^\s*([A-Za-z_][\w.`-]*)\s*(=|!=|LIKE|ILIKE)\s*'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (!m) throw new Error(`unsupported filter clause: ${clause}`);
    const [, attr, op, raw] = m as unknown as [string, string, string, string];
    const want = raw.replace(/''/g, "'");
    const key = attr.replace(/`/g, '');
    const value = key.startsWith('tags.') ? item.tags.find((t) => t.key === key.slice(5))?.value : key === 'name' ? item.name : key === 'run_id' ? item.run_id : undefined;
    if (value === undefined) return op === '!=';
    if (op === '=') return value === want;
    if (op === '!=') return value !== want;
    const re = new RegExp(`^${want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, op.toUpperCase() === 'ILIKE' ? 'i' : '');
    return re.test(value);
  });
}

function paginate<T>(items: T[], maxResults: string | undefined, pageToken: string | undefined, dflt: number): { page: T[]; next?: string } {
  const max = maxResults ? Number(maxResults) : dflt;
  const offset = decodeToken(pageToken);
  const page = items.slice(offset, offset + max);
  return { page, ...(offset + max < items.length ? { next: encodeToken(offset + max) } : {}) };
}
