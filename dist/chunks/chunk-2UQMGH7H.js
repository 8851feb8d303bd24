import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  printable
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";

// src/mlflow/client.ts
var MlflowApiError = class extends EnvironmentError {
  status;
  errorCode;
  constructor(message, opts) {
    super(message, { ...opts.hint ? { hint: opts.hint } : {}, cause: opts.cause });
    this.status = opts.status;
    this.errorCode = opts.errorCode;
  }
};
var MAX_PAGES = 1e3;
var HISTORY_PAGE_SIZE = 25e3;
var SEARCH_PAGE_SIZE = 1e3;
async function createMlflowClient(conn) {
  const doFetch = await fetcherFor(conn);
  const base = conn.trackingUri;
  async function send(method, path, opts = {}) {
    const headers = { accept: "application/json" };
    if (conn.authorization) headers.authorization = conn.authorization;
    if (opts.body !== void 0) headers["content-type"] = "application/json";
    let last = { message: "unknown error" };
    const attempts = opts.once ? 1 : conn.attempts;
    for (let i = 0; i < attempts; i++) {
      const signal = AbortSignal.timeout(conn.timeoutMs);
      try {
        const res = await doFetch(`${base}${path}`, {
          method,
          headers,
          signal,
          ...opts.body !== void 0 ? { body: JSON.stringify(opts.body) } : {},
          redirect: "error"
        });
        if (!retryable(res.status)) {
          if (opts.stream && res.ok) return res;
          const bytes = await res.arrayBuffer();
          return new Response(bytes, { status: res.status, headers: res.headers });
        }
        const text = await res.text();
        if (opts.missing?.test(text)) return new Response(text, { status: res.status, headers: res.headers });
        last = { status: res.status, message: `HTTP ${res.status}${errorText(text)}` };
      } catch (err) {
        last = { message: signal.aborted ? `no answer within ${conn.timeoutMs / 1e3} s` : causeText(err) };
      }
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, conn.backoffMs * 2 ** i * (0.5 + Math.random())));
    }
    throw new MlflowApiError(scrub(`MLflow tracking server ${base}: ${method} ${path.split("?")[0]} failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${last.message}`, conn), {
      ...last.status !== void 0 ? { status: last.status } : {},
      hint: `the tracking server is unreachable or keeps failing; check MLFLOW_TRACKING_URI and the network, then re-run (MODELGATE_MLFLOW_TIMEOUT_MS sets the timeout).${method === "GET" ? " Nothing was written." : ""}`
    });
  }
  async function answer(res) {
    const text = await res.text();
    try {
      const parsed = text.trim() === "" ? {} : JSON.parse(text);
      return { text, parsed: typeof parsed === "object" && parsed !== null ? parsed : void 0 };
    } catch {
      return { text, parsed: void 0 };
    }
  }
  function notJson(method, path, status) {
    return new MlflowApiError(`MLflow tracking server ${base}: ${method} ${path.split("?")[0]} answered ${status} with a body that is not JSON`, {
      status,
      hint: "is MLFLOW_TRACKING_URI the tracking server (not its UI behind a login page)?"
    });
  }
  async function json(method, path, body) {
    const res = await send(method, path, body === void 0 ? {} : { body });
    const { text, parsed } = await answer(res);
    if (res.ok) {
      if (parsed === void 0) throw notJson(method, path, res.status);
      return parsed;
    }
    const err = parsed ?? {};
    if (isAbsent(res.status, err)) return void 0;
    throw refusal(method, path, res.status, err, text);
  }
  function refusal(method, path, status, err, text) {
    const said = err.message ?? text.slice(0, 200);
    const hint = status === 401 ? "the server refused the credentials: check MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN" : status === 403 ? "the credentials may not read this resource: ask for READ permission on the experiment or registered model" : "the server refused the request; check MLFLOW_TRACKING_URI points at an MLflow tracking server of version 2 or 3";
    return new MlflowApiError(scrub(`MLflow tracking server ${base}: ${method} ${path.split("?")[0]} was refused (${status}${err.error_code ? ` ${err.error_code}` : ""}): ${printable(said)}`, conn), {
      status,
      ...err.error_code ? { errorCode: err.error_code } : {},
      hint
    });
  }
  async function write(method, path, body, opts = {}) {
    const res = await send(method, path, { body, ...opts.once ? { once: true } : {} });
    const { text, parsed } = await answer(res);
    if (res.ok && parsed !== void 0) return parsed;
    if (res.ok) throw notJson(method, path, res.status);
    throw refusal(method, path, res.status, parsed ?? {}, text);
  }
  const registry = {
    async getRegisteredModel(name) {
      const body = await json("GET", `/api/2.0/mlflow/registered-models/get?${query({ name })}`);
      const rm = body?.registered_model;
      if (!rm) return void 0;
      return {
        name: String(rm.name ?? name),
        ...typeof rm.description === "string" && rm.description !== "" ? { description: rm.description } : {},
        aliases: (rm.aliases ?? []).map((a) => ({ alias: a.alias, version: String(a.version) })),
        tags: (rm.tags ?? []).map((t) => ({ key: t.key, value: String(t.value ?? "") }))
      };
    },
    async searchModelVersions(filter) {
      const out = [];
      const seen = /* @__PURE__ */ new Set();
      let token;
      for (let page = 0; page < MAX_PAGES; page++) {
        const q = query({ filter, max_results: String(SEARCH_PAGE_SIZE), ...token ? { page_token: token } : {} });
        const body = await json("GET", `/api/2.0/mlflow/model-versions/search?${q}`);
        const rows = body?.model_versions ?? [];
        for (const v of rows) out.push(normalizeModelVersion(v));
        token = body?.next_page_token || void 0;
        if (token === void 0 || rows.length === 0) return out;
        if (seen.has(token)) break;
        seen.add(token);
      }
      throw new MlflowApiError(`MLflow tracking server ${base}: the model version search '${printable(filter)}' did not end after ${MAX_PAGES} pages`, {
        hint: "the server keeps answering with a next_page_token; check the server version (2.x or 3.x are supported)"
      });
    },
    async createRegisteredModel(name, tags = []) {
      await write("POST", "/api/2.0/mlflow/registered-models/create", { name, ...tags.length ? { tags } : {} });
    },
    async setRegisteredModelTag(name, key, value) {
      await write("POST", "/api/2.0/mlflow/registered-models/set-tag", { name, key, value });
    },
    async createModelVersion(req) {
      const body = await write(
        "POST",
        "/api/2.0/mlflow/model-versions/create",
        { name: req.name, source: req.source, ...req.runId ? { run_id: req.runId } : {}, tags: req.tags, ...req.description ? { description: req.description } : {} },
        { once: true }
      );
      const mv = body.model_version;
      if (!mv || mv.version === void 0) throw new MlflowApiError(`MLflow tracking server ${base}: model-versions/create answered without the new version`, {});
      return normalizeModelVersion(mv);
    },
    async setModelVersionTag(name, version, key, value) {
      await write("POST", "/api/2.0/mlflow/model-versions/set-tag", { name, version, key, value });
    },
    async deleteModelVersionTag(name, version, key) {
      await write("DELETE", "/api/2.0/mlflow/model-versions/delete-tag", { name, version, key });
    },
    async setAlias(name, alias, version) {
      await write("POST", "/api/2.0/mlflow/registered-models/alias", { name, alias, version });
    },
    async deleteAlias(name, alias) {
      await write("DELETE", "/api/2.0/mlflow/registered-models/alias", { name, alias });
    },
    async transitionStage(name, version, stage) {
      await write("POST", "/api/2.0/mlflow/model-versions/transition-stage", { name, version, stage, archive_existing_versions: false });
    }
  };
  return {
    trackingUri: base,
    async serverVersion() {
      const res = await send("GET", "/version");
      if (!res.ok) return void 0;
      const text = (await res.text()).trim();
      return /^[0-9][0-9A-Za-z.+-]{0,63}$/.test(text) ? text : void 0;
    },
    async getRun(runId) {
      const body = await json("GET", `/api/2.0/mlflow/runs/get?${query({ run_id: runId })}`);
      return body?.run ? normalizeRun(body.run) : void 0;
    },
    async metricHistory(runId, key) {
      const points = [];
      const seen = /* @__PURE__ */ new Set();
      let token;
      for (let page = 0; page < MAX_PAGES; page++) {
        const q = query({ run_id: runId, metric_key: key, max_results: String(HISTORY_PAGE_SIZE), ...token ? { page_token: token } : {} });
        const body = await json("GET", `/api/2.0/mlflow/metrics/get-history?${q}`);
        const rows = body?.metrics ?? [];
        for (const m of rows) points.push(normalizeMetric(m));
        token = body?.next_page_token || void 0;
        if (token === void 0 || rows.length === 0) return points;
        if (seen.has(token)) break;
        seen.add(token);
      }
      throw new MlflowApiError(`MLflow tracking server ${base}: the history of metric '${printable(key)}' of run ${runId} did not end after ${MAX_PAGES} pages`, {
        hint: "the server keeps answering with a next_page_token; check the server version (2.x or 3.x are supported)"
      });
    },
    async getModelVersion(name, version) {
      const body = await json("GET", `/api/2.0/mlflow/model-versions/get?${query({ name, version })}`);
      return body?.model_version ? normalizeModelVersion(body.model_version) : void 0;
    },
    async getModelVersionByAlias(name, alias) {
      const body = await json("GET", `/api/2.0/mlflow/registered-models/alias?${query({ name, alias })}`);
      return body?.model_version ? normalizeModelVersion(body.model_version) : void 0;
    },
    async getLoggedModel(modelId) {
      const body = await json("GET", `/api/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}`);
      const info = body?.model?.info;
      return info ? { ...info, experiment_id: String(info.experiment_id) } : void 0;
    },
    async downloadArtifact(uri) {
      const path = artifactPath(uri);
      const res = await send("GET", `/api/2.0/mlflow-artifacts/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`, { stream: true, missing: MISSING_ARTIFACT });
      if (res.ok) return res;
      const text = await res.text();
      if (res.status === 404 || res.status === 500 && MISSING_ARTIFACT.test(text)) return void 0;
      let err = {};
      try {
        err = JSON.parse(text);
      } catch {
      }
      throw refusal("GET", `/api/2.0/mlflow-artifacts/artifacts/${path}`, res.status, err, text);
    },
    async listArtifacts(uri) {
      const path = artifactPath(uri);
      const body = await json("GET", `/api/2.0/mlflow-artifacts/artifacts?${query({ path })}`);
      if (!body) return void 0;
      return (body.files ?? []).map((f) => ({ path: f.path, is_dir: Boolean(f.is_dir), ...f.file_size !== void 0 ? { file_size: Number(f.file_size) } : {} }));
    },
    // The Model Registry (sync mlflow).
    ...registry
  };
}
function artifactPath(uri) {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.*)$/.exec(uri);
  if (!m) throw new EnvironmentError(`'${printable(uri)}' is not an mlflow-artifacts:/ URI`);
  return m[1].replace(/\/+$/, "");
}
var MISSING_ARTIFACT = /No such file or directory|NoSuchKey|does not exist/i;
function isMlflowArtifactsUri(uri) {
  return uri.startsWith("mlflow-artifacts:");
}
function int(v) {
  if (v === void 0 || v === null || v === "") return void 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : void 0;
}
function metricValue(v) {
  return typeof v === "number" ? v : Number(v);
}
function normalizeMetric(m) {
  return { key: m.key, value: metricValue(m.value), timestamp: int(m.timestamp) ?? 0, step: int(m.step) ?? 0 };
}
function normalizeRun(raw) {
  const i = raw.info;
  const runId = String(i.run_id ?? i.run_uuid ?? "");
  const start = int(i.start_time);
  const end = int(i.end_time);
  const outputs = raw.outputs?.model_outputs?.map((o) => ({ model_id: o.model_id, ...int(o.step) !== void 0 ? { step: int(o.step) } : {} }));
  return {
    info: {
      run_id: runId,
      experiment_id: String(i.experiment_id ?? ""),
      ...typeof i.run_name === "string" ? { run_name: i.run_name } : {},
      status: String(i.status ?? ""),
      ...start !== void 0 ? { start_time: start } : {},
      ...end !== void 0 ? { end_time: end } : {},
      ...typeof i.artifact_uri === "string" ? { artifact_uri: i.artifact_uri } : {},
      ...typeof i.lifecycle_stage === "string" ? { lifecycle_stage: i.lifecycle_stage } : {}
    },
    data: {
      metrics: (raw.data?.metrics ?? []).map(normalizeMetric),
      params: (raw.data?.params ?? []).map((p) => ({ key: p.key, value: String(p.value ?? "") })),
      tags: (raw.data?.tags ?? []).map((t) => ({ key: t.key, value: String(t.value ?? "") }))
    },
    ...outputs ? { outputs: { model_outputs: outputs } } : {}
  };
}
function normalizeModelVersion(raw) {
  return { ...raw, version: String(raw.version) };
}
function isAbsent(status, err) {
  if (status === 404) return err.error_code === void 0 || err.error_code === "RESOURCE_DOES_NOT_EXIST";
  return status === 400 && err.error_code === "INVALID_PARAMETER_VALUE" && /alias .* not found/i.test(err.message ?? "");
}
function retryable(status) {
  return status === 408 || status === 429 || status >= 500 && status !== 501;
}
function errorText(text) {
  try {
    const msg = JSON.parse(text).message;
    return msg ? `: ${printable(msg.slice(0, 300))}` : "";
  } catch {
    return "";
  }
}
function causeText(err) {
  const e = err;
  const code = e?.cause?.code ?? "";
  return `${e?.message ?? String(err)}${code ? ` (${code})` : e?.cause?.message ? ` (${e.cause.message})` : ""}`;
}
function query(params) {
  return new URLSearchParams(params).toString();
}
function scrub(text, conn) {
  let out = text;
  for (const s of conn.secrets) if (s) out = out.split(s).join("***");
  return out;
}
async function fetcherFor(conn) {
  if (!conn.insecureTls && conn.ca === void 0) return (url, init) => fetch(url, init);
  const undici = await import("./undici-QMM7I6YS.js");
  const agent = new undici.Agent({ connect: { rejectUnauthorized: !conn.insecureTls, ...conn.ca !== void 0 ? { ca: conn.ca } : {} } });
  return (url, init) => undici.fetch(url, { ...init, dispatcher: agent });
}

export {
  MlflowApiError,
  MAX_PAGES,
  HISTORY_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
  createMlflowClient,
  artifactPath,
  isMlflowArtifactsUri
};
