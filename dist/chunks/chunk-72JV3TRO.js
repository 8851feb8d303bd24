import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  digestArtifact,
  directoryDigest,
  localTree,
  mapLimit,
  sha256OfStream
} from "./chunk-PFSJN6VZ.js";
import {
  hasMlmodel,
  mlmodelSignature
} from "./chunk-E2G34L76.js";
import {
  parseMlflowSignature,
  parseSignature,
  signatureState
} from "./chunk-D7WOBC7Y.js";
import {
  baseName,
  childPath,
  parentPath,
  readSourceText
} from "./chunk-PNMDNJGF.js";
import {
  STAGES,
  assertPlainPath,
  auditPath,
  loadManifest,
  manifestPath,
  schemaErrors
} from "./chunk-3UWGGRDM.js";
import {
  parseJson,
  parseYaml,
  typeName
} from "./chunk-HYWAOBHT.js";
import {
  isMlflowArtifactsUri,
  isRemoteUri,
  isS3Uri,
  normalizeRepoPath,
  parseS3Uri,
  printable
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError,
  InputError,
  InputErrors,
  NotFoundError,
  UnsafePathError
} from "./chunk-RTQ2UXCO.js";

// src/runs/metricFile.ts
var MAX_METRIC_LINE_BYTES = 64 * 1024;
var NL = 10;
var CR = 13;
var SPACE = 32;
var PLUS = 43;
var MINUS = 45;
var DOT = 46;
var ZERO = 48;
var LOWER_E = 101;
var TWO_53 = 9007199254740992;
var NOT_A_NUMBER = "has a value that is not a number";
var POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
function isLater(aStep, aTs, aValue, bStep, bTs, bValue) {
  if (aStep !== bStep) return aStep > bStep;
  if (aTs !== bTs) return aTs > bTs;
  return valueAbove(aValue, bValue);
}
function valueAbove(a, b) {
  if (a !== a) return b === b;
  if (b !== b) return false;
  if (a !== b) return a > b;
  return a === 0 && Object.is(b, -0) && !Object.is(a, -0);
}
function isWord(b, s, e, word) {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((b[s + i] | 32) !== word.charCodeAt(i)) return false;
  }
  return true;
}
var MetricLineParser = class {
  constructor(file, sink) {
    this.file = file;
    this.sink = sink;
  }
  file;
  sink;
  timestamp = 0;
  step = 0;
  /** The value when `exact`; otherwise it is `buf[vs, ve)`, valid until the next feed(). */
  fastValue = 0;
  exact = true;
  buf = Buffer.alloc(0);
  vs = 0;
  ve = 0;
  carry;
  line = 0;
  value() {
    return this.exact ? this.fastValue : Number(this.buf.toString("latin1", this.vs, this.ve));
  }
  feed(chunk) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.carry) {
      const nl2 = b.indexOf(NL);
      if (nl2 === -1) {
        this.carry = Buffer.concat([this.carry, b]);
        this.checkCarry();
        return;
      }
      const joined = Buffer.concat([this.carry, b.subarray(0, nl2)]);
      this.carry = void 0;
      this.parseLine(joined, 0, joined.length);
      pos = nl2 + 1;
    }
    let nl = b.indexOf(NL, pos);
    while (nl !== -1) {
      this.parseLine(b, pos, nl);
      pos = nl + 1;
      nl = b.indexOf(NL, pos);
    }
    if (pos < b.length) {
      this.carry = Buffer.from(b.subarray(pos));
      this.checkCarry();
    }
  }
  end() {
    if (this.carry) {
      const last = this.carry;
      this.carry = void 0;
      this.parseLine(last, 0, last.length);
    }
  }
  checkCarry() {
    if (this.carry && this.carry.length > MAX_METRIC_LINE_BYTES) {
      throw new InputError(`line ${this.line + 1} is longer than ${MAX_METRIC_LINE_BYTES / 1024} KiB`, {
        location: { file: this.file, line: this.line + 1 },
        hint: "this is not an MLflow metric file (one short `<timestamp> <value> <step>` line per point)"
      });
    }
  }
  /** One pass over the line's bytes: `ts value [step [dataset_name dataset_digest]]`. */
  parseLine(b, s, e) {
    this.line++;
    if (this.line === 1 && e - s >= 3 && b[s] === 239 && b[s + 1] === 187 && b[s + 2] === 191) s += 3;
    if (e > s && b[e - 1] === CR) e--;
    if (e === s) return;
    let i = s;
    let neg = false;
    let c = b[i];
    if (c === MINUS || c === PLUS) {
      neg = c === MINUS;
      i++;
    }
    let n = 0;
    const ts0 = i;
    for (; i < e; i++) {
      const d = b[i] - ZERO;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === ts0 || i === e || b[i] !== SPACE) return this.fail(b, s, e, "has a timestamp that is not an integer");
    this.timestamp = i - ts0 > 15 ? Number(b.toString("latin1", s, i)) : neg ? -n : n;
    i++;
    const vs = i;
    neg = false;
    c = b[i];
    if (c === MINUS || c === PLUS) {
      neg = c === MINUS;
      i++;
    }
    c = b[i] | 32;
    if (c === 110 || c === 105) {
      const w = i;
      while (i < e && b[i] !== SPACE) i++;
      if (isWord(b, w, i, "nan")) this.fastValue = NaN;
      else if (isWord(b, w, i, "inf") || isWord(b, w, i, "infinity")) this.fastValue = neg ? -Infinity : Infinity;
      else return this.fail(b, s, e, NOT_A_NUMBER);
      this.exact = true;
    } else {
      let mantissa = 0;
      let digits = 0;
      let fraction = 0;
      for (; i < e; i++) {
        const d = b[i] - ZERO;
        if (d < 0 || d > 9) break;
        mantissa = mantissa * 10 + d;
        digits++;
      }
      if (i < e && b[i] === DOT) {
        for (i++; i < e; i++) {
          const d = b[i] - ZERO;
          if (d < 0 || d > 9) break;
          mantissa = mantissa * 10 + d;
          digits++;
          fraction++;
        }
      }
      if (digits === 0) return this.fail(b, s, e, NOT_A_NUMBER);
      let exponent = 0;
      if (i < e && (b[i] | 32) === LOWER_E) {
        i++;
        let expNeg = false;
        if (b[i] === MINUS || b[i] === PLUS) {
          expNeg = b[i] === MINUS;
          i++;
        }
        const x0 = i;
        for (; i < e; i++) {
          const d = b[i] - ZERO;
          if (d < 0 || d > 9) break;
          if (exponent < 1e5) exponent = exponent * 10 + d;
        }
        if (i === x0) return this.fail(b, s, e, NOT_A_NUMBER);
        if (expNeg) exponent = -exponent;
      }
      const k = exponent - fraction;
      if (mantissa < TWO_53 && k >= -22 && k <= 22) {
        const v = k < 0 ? mantissa / POW10[-k] : mantissa * POW10[k];
        this.fastValue = neg ? -v : v;
        this.exact = true;
      } else {
        this.exact = false;
        this.buf = b;
        this.vs = vs;
      }
    }
    this.ve = i;
    if (i === e) {
      this.step = 0;
      return this.sink(this);
    }
    if (b[i] !== SPACE) return this.fail(b, s, e, NOT_A_NUMBER);
    const stepStart = ++i;
    neg = false;
    c = b[i];
    if (c === MINUS || c === PLUS) {
      neg = c === MINUS;
      i++;
    }
    n = 0;
    const st0 = i;
    for (; i < e; i++) {
      const d = b[i] - ZERO;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === st0 || i < e && b[i] !== SPACE) return this.fail(b, s, e, "has a step that is not an integer");
    this.step = i - st0 > 15 ? Number(b.toString("latin1", stepStart, i)) : neg ? -n : n;
    if (i < e) {
      const f4 = ++i;
      while (i < e && b[i] !== SPACE) i++;
      if (i === f4 || i === e) return this.fail(b, s, e, "has 4 fields, expected 2, 3 or 5");
      const f5 = ++i;
      while (i < e && b[i] !== SPACE) i++;
      if (i === f5 || i !== e) return this.fail(b, s, e, "has more than 5 fields");
    }
    this.sink(this);
  }
  /** Rare path: the field structure first (empty or extra fields), else what `why` says. */
  fail(b, s, e, why) {
    const text2 = b.toString("utf8", s, e);
    const fields = text2.split(" ");
    if (fields.includes("")) why = "has an empty field (fields are separated by single spaces)";
    else if (![2, 3, 5].includes(fields.length)) why = `has ${fields.length} field${fields.length === 1 ? "" : "s"}, expected 2, 3 or 5`;
    const shown = text2.length > 120 ? text2.slice(0, 120) + "\u2026" : text2;
    throw new InputError(`line ${this.line} ${why}: '${printable(shown)}'`, {
      location: { file: this.file, line: this.line },
      hint: "MLflow metric lines are `<timestamp_ms> <value> <step>` separated by single spaces; fix or remove this line"
    });
  }
};
async function latestMetricPoint(chunks, file) {
  let found = false;
  let step = 0;
  let timestamp = 0;
  let value = 0;
  let pending;
  const settle = () => {
    if (pending) value = Number(pending.buf.toString("latin1", pending.s, pending.e));
    pending = void 0;
  };
  const parser = new MetricLineParser(file, (line) => {
    const p = line;
    if (found && p.step === step && p.timestamp === timestamp) {
      settle();
      if (!valueAbove(p.value(), value)) return;
    } else if (found && (p.step < step || p.step === step && p.timestamp < timestamp)) {
      return;
    }
    found = true;
    step = p.step;
    timestamp = p.timestamp;
    if (p.exact) {
      value = p.fastValue;
      pending = void 0;
    } else if (pending) {
      pending.buf = p.buf;
      pending.s = p.vs;
      pending.e = p.ve;
    } else {
      pending = { buf: p.buf, s: p.vs, e: p.ve };
    }
  });
  for await (const chunk of chunks) {
    parser.feed(chunk);
    settle();
  }
  parser.end();
  settle();
  return found ? { step, timestamp, value } : void 0;
}
async function* metricPoints(chunks, file) {
  let batch = [];
  const parser = new MetricLineParser(file, (line) => {
    batch.push({ step: line.step, timestamp: line.timestamp, value: line.value() });
  });
  for await (const chunk of chunks) {
    parser.feed(chunk);
    const ready = batch;
    batch = [];
    yield* ready;
  }
  parser.end();
  yield* batch;
}

// src/runs/setOwn.ts
function setOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

// src/runs/limits.ts
var MAX_TAG_VALUE_CHARS = 8e3;
var MAX_PARAM_VALUE_CHARS = 6e3;
var MAX_RUN_DIR_ENTRIES = 1e4;
var MAX_KEYED_BYTES_PER_RUN = 16 * 1024 * 1024;

// src/runs/mlflow/keyedFiles.ts
var READ_CONCURRENCY = 16;
var MAX_KEY_DEPTH = 64;
async function listKeyedFiles(source, dir) {
  const top = await source.list(dir);
  if (top === void 0) return void 0;
  const out = [];
  const walk = async (path, prefix, names, depth) => {
    if (depth > MAX_KEY_DEPTH) {
      throw new InputError(`directory nesting is deeper than ${MAX_KEY_DEPTH} levels`, { location: { file: source.describe(path) } });
    }
    if (names.length > MAX_RUN_DIR_ENTRIES || out.length + names.length > MAX_RUN_DIR_ENTRIES) {
      throw new InputError(`${source.describe(dir)} holds more than ${MAX_RUN_DIR_ENTRIES.toLocaleString("en-US")} entries (${(out.length + names.length).toLocaleString("en-US")} at ${source.describe(path)})`, {
        location: { file: source.describe(path) },
        hint: `modelgate reads at most ${MAX_RUN_DIR_ENTRIES.toLocaleString("en-US")} params, tags or metrics per run; log fewer keys, or keep bulk data in artifacts`
      });
    }
    const entries = await mapLimit(names, READ_CONCURRENCY, async (name) => {
      const p = childPath(path, name);
      return { name, path: p, stat: await source.stat(p) };
    });
    for (const e of entries) {
      const key = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.stat?.type === "file") out.push({ key, path: e.path, size: e.stat.size });
      else if (e.stat?.type === "dir") await walk(e.path, key, await source.list(e.path) ?? [], depth + 1);
    }
  };
  await walk(dir, "", top, 0);
  return out;
}
async function readKeyedTexts(source, dir, maxChars, what) {
  const files = await listKeyedFiles(source, dir) ?? [];
  let total = 0;
  for (const f of files) {
    if (f.size > maxChars * 4) throw tooLong(source, f.path, what, maxChars, `${f.size.toLocaleString("en-US")} bytes`);
    total += f.size;
  }
  if (total > MAX_KEYED_BYTES_PER_RUN) {
    throw new InputError(`the ${what}s under ${source.describe(dir)} are ${total.toLocaleString("en-US")} bytes together, more than the ${MAX_KEYED_BYTES_PER_RUN / 1024 / 1024} MiB modelgate reads per run`, {
      location: { file: source.describe(dir) },
      hint: "run metadata should be small; keep bulk data in artifacts"
    });
  }
  const texts2 = await mapLimit(files, READ_CONCURRENCY, (f) => readSourceText(source, f.path, f.size));
  const out = {};
  files.forEach((f, i) => {
    const t = texts2[i];
    if (t !== void 0 && [...t].length > maxChars) throw tooLong(source, f.path, what, maxChars, `${[...t].length.toLocaleString("en-US")} characters`);
    if (t !== void 0) setOwn(out, f.key, t);
  });
  return out;
}
function tooLong(source, path, what, maxChars, actual) {
  return new InputError(`${what} value is ${actual}, longer than MLflow's ${maxChars.toLocaleString("en-US")}-character limit`, {
    location: { file: source.describe(path) },
    hint: `MLflow refuses ${what} values over ${maxChars.toLocaleString("en-US")} characters; this file did not come from MLflow as it is`
  });
}

// src/runs/mlflow/meta.ts
var STATUS_BY_NUMBER = { 1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED" };
var STATUS_NAMES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];
function interpretRunMeta(doc, ref) {
  const m = doc.value;
  if (typeof m !== "object" || m === null || Array.isArray(m)) {
    throw new InputError(`run meta.yaml must be a mapping, got ${typeName(m)}`, { location: doc.locate([]) });
  }
  const meta = m;
  refuseNonRun(meta, doc, ref);
  return {
    runId: text(meta.run_id) ?? text(meta.run_uuid),
    experimentId: text(meta.experiment_id),
    name: text(meta.run_name) ?? text(meta.name),
    status: status(meta, doc),
    startTime: time(meta, "start_time", doc),
    endTime: time(meta, "end_time", doc),
    artifactUri: text(meta.artifact_uri),
    deleted: meta.lifecycle_stage === "deleted"
  };
}
function refuseNonRun(meta, doc, ref) {
  if ("model_id" in meta && "source_run_id" in meta) {
    throw new InputError(`'${ref}' is an MLflow logged model, not a run`, {
      location: doc.locate([]),
      hint: `point run: at its source run${typeof meta.source_run_id === "string" ? ` (run id ${meta.source_run_id})` : ""}: mlruns/<experiment>/<run_id>`
    });
  }
  const isRun = "run_id" in meta || "run_uuid" in meta || "artifact_uri" in meta || "status" in meta;
  if (!isRun && "artifact_location" in meta) {
    throw new InputError(`'${ref}' is an MLflow experiment, not a run`, {
      location: doc.locate([]),
      hint: `point run: at one of its run directories: ${ref === "" ? "" : ref + "/"}<run_id>`
    });
  }
}
function text(v) {
  if (typeof v === "string") return v === "" ? void 0 : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return void 0;
}
function status(meta, doc) {
  const s = meta.status;
  if (s === void 0 || s === null) return "RUNNING";
  if (typeof s === "number" && STATUS_BY_NUMBER[s]) return STATUS_BY_NUMBER[s];
  if (typeof s === "string" && STATUS_NAMES.includes(s)) return s;
  throw new InputError(`status is ${typeName(s)}, which is not an MLflow run status`, {
    location: doc.locate(["status"]),
    hint: "MLflow writes 1 (RUNNING), 2 (SCHEDULED), 3 (FINISHED), 4 (FAILED) or 5 (KILLED)"
  });
}
function time(meta, key, doc) {
  const v = meta[key];
  if (v === void 0 || v === null) return void 0;
  if (typeof v === "number" && Number.isFinite(v)) {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  throw new InputError(`${key} is ${typeName(v)}, not a time in milliseconds since 1970`, {
    location: doc.locate([key]),
    hint: "MLflow writes integer milliseconds, or null while the run has not ended"
  });
}

// src/runs/mlflow/modelDir.ts
var LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history";
async function locateMlflowModel(q) {
  const history2 = readHistory(q);
  const recorded = historySignature(history2);
  if (q.artifact !== void 0) return overrideModel(q.source, q.artifact, recorded);
  const notes = [];
  const artifactPath = safePath(history2?.entry?.artifact_path);
  const runArtifacts = childPath(q.ref, "artifacts");
  const standard = childPath(runArtifacts, "model");
  let dir = await hasMlmodel(q.source, standard) ? standard : await modelUnder(q.source, runArtifacts, artifactPath, notes);
  dir ??= await loggedModel(q.source, q.ref, typeof history2?.entry?.model_id === "string" ? history2.entry.model_id : void 0);
  const served = serverArtifacts(q.ref, q.artifactUri);
  if (dir === void 0 && served !== void 0) dir = await modelUnder(q.source, served, artifactPath, notes);
  if (dir !== void 0) {
    const signature2 = await mlmodelSignature(q.source, dir);
    if (signature2) return { artifact: dir, signature: signature2 };
  }
  if (recorded) return { signature: recorded };
  const looked = [`${runArtifacts}/`, ...q.ref === "" ? [] : ["logged models linked from outputs/"], ...served ? [`${served}/`] : []];
  return {
    signature: {
      state: "unavailable",
      reason: `no MLmodel found for run ${q.source.describe(q.ref)} (looked in ${looked.join(", ")})${notes.length ? `; ${notes.join("; ")}` : ""}; set artifact: to the model directory in the manifest`
    }
  };
}
async function overrideModel(source, artifact, fallback) {
  if (isRemoteUri(artifact)) {
    return {
      artifact,
      signature: fallback ?? { state: "unavailable", reason: `the model is at ${artifact}, outside the repository (an S3 MLmodel is read by the caller)` }
    };
  }
  const signature2 = await mlmodelSignature(source, artifact);
  return { artifact, signature: signature2 ?? fallback ?? { state: "unavailable", reason: `no MLmodel file in ${source.describe(artifact)}` } };
}
function readHistory(q) {
  const raw = q.tags[LOG_MODEL_HISTORY_TAG];
  if (raw === void 0) return void 0;
  const file = q.source.describe(childPath(q.ref, "tags", LOG_MODEL_HISTORY_TAG));
  let list;
  try {
    list = JSON.parse(raw);
  } catch (err) {
    return { file, error: `tag ${LOG_MODEL_HISTORY_TAG} is not valid JSON (${err.message})` };
  }
  if (!Array.isArray(list)) return { file, error: `tag ${LOG_MODEL_HISTORY_TAG} is not a JSON list` };
  const signed = [...list].reverse().find((e) => typeof e === "object" && e !== null && !Array.isArray(e) && e.signature != null);
  const last = signed ?? list[list.length - 1];
  if (last === void 0) return { file };
  if (typeof last !== "object" || last === null || Array.isArray(last)) return { file, error: `the last entry of tag ${LOG_MODEL_HISTORY_TAG} is not an object` };
  return { file, entry: last };
}
function historySignature(h) {
  if (!h) return void 0;
  if (h.error) return { state: "invalid", source: h.file, error: h.error };
  if (!h.entry) return void 0;
  const sig = h.entry.signature;
  if (sig === void 0 || sig === null) return { state: "absent", source: h.file };
  return signatureState(h.file, () => parseMlflowSignature(sig));
}
function safePath(p) {
  if (typeof p !== "string" || p === "") return void 0;
  try {
    return normalizeRepoPath(p);
  } catch {
    return void 0;
  }
}
async function modelUnder(source, root, artifactPath, notes) {
  if ((await source.stat(root))?.type !== "dir") return void 0;
  if (artifactPath !== void 0) {
    const dir = childPath(root, artifactPath);
    if (await hasMlmodel(source, dir)) return dir;
  }
  if (await hasMlmodel(source, root)) return root;
  const names = await source.list(root) ?? [];
  const withModel = [];
  for (const name of names) {
    if (await hasMlmodel(source, childPath(root, name))) withModel.push(name);
  }
  if (withModel.length === 1) return childPath(root, withModel[0]);
  if (withModel.length > 1) notes.push(`several model directories in ${source.describe(root)} (${withModel.join(", ")})`);
  return void 0;
}
async function loggedModel(source, ref, preferred) {
  const exp = parentPath(ref);
  if (exp === void 0) return void 0;
  const ids = await source.list(childPath(ref, "outputs")) ?? [];
  const found = [];
  for (const id of ids) {
    const dir = childPath(exp, "models", id, "artifacts");
    if (await hasMlmodel(source, dir)) found.push({ id, dir });
  }
  const hit = found.find((f) => f.id === preferred);
  if (hit) return hit.dir;
  if (found.length <= 1) return found[0]?.dir;
  const signed = [];
  for (const f of found) if ((await mlmodelSignature(source, f.dir))?.state === "found") signed.push(f);
  if (signed.length === 1) return signed[0].dir;
  if (signed.length > 1) found.splice(0, found.length, ...signed);
  let best = found[found.length - 1];
  let bestTime = -Infinity;
  for (const f of found) {
    const t = await createdAt(source, childPath(exp, "models", f.id, "meta.yaml"));
    if (t !== void 0 && t >= bestTime) {
      best = f;
      bestTime = t;
    }
  }
  return best.dir;
}
async function createdAt(source, path) {
  try {
    const text2 = await readSourceText(source, path);
    const v = text2 === void 0 ? void 0 : parseYaml(text2, source.describe(path)).value;
    return typeof v?.creation_timestamp === "number" ? v.creation_timestamp : void 0;
  } catch {
    return void 0;
  }
}
function serverArtifacts(ref, uri) {
  const scheme = "mlflow-artifacts:";
  if (!uri?.startsWith(scheme)) return void 0;
  let rest = uri.slice(scheme.length);
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    rest = slash === -1 ? "" : rest.slice(slash);
  }
  const path = safePath(rest.replace(/^\/+/, ""));
  const segments = ref === "" ? [] : ref.split("/");
  if (path === void 0 || segments.length < 3) return void 0;
  return childPath(segments.slice(0, -3).join("/"), "mlartifacts", path);
}

// src/runs/mlflow/run.ts
async function readMlflowRun(source, ref, opts = {}) {
  const metaPath = childPath(ref, "meta.yaml");
  const text2 = await readSourceText(source, metaPath);
  if (text2 === void 0) throw new InputError(`run ${source.describe(ref)} has no meta.yaml`, { location: { file: source.describe(metaPath) } });
  const meta = interpretRunMeta(parseYaml(text2, source.describe(metaPath)), ref);
  const [params, tags, latest] = await Promise.all([
    readKeyedTexts(source, childPath(ref, "params"), MAX_PARAM_VALUE_CHARS, "param"),
    readKeyedTexts(source, childPath(ref, "tags"), MAX_TAG_VALUE_CHARS, "tag"),
    readLatestMetrics(source, childPath(ref, "metrics"))
  ]);
  const model = await locateMlflowModel({ source, ref, tags, artifactUri: meta.artifactUri, ...opts.artifact !== void 0 ? { artifact: opts.artifact } : {} });
  const runId2 = meta.runId ?? (ref === "" ? void 0 : baseName(ref));
  if (runId2 === void 0) {
    throw new InputError("run meta.yaml has no run_id or run_uuid", { location: { file: source.describe(metaPath) }, hint: "MLflow writes run_id; check that this is an MLflow run directory" });
  }
  const name = meta.name ?? nonEmpty(tags["mlflow.runName"]);
  const record = {
    format: "mlflow",
    ref,
    runId: runId2,
    status: meta.status,
    params,
    metrics: latest.metrics,
    tags,
    signature: model.signature,
    history: (metric) => history(source, latest.files, metric)
  };
  if (meta.experimentId !== void 0) record.experiment = meta.experimentId;
  if (name !== void 0) record.name = name;
  if (meta.startTime !== void 0) record.startTime = meta.startTime;
  if (meta.endTime !== void 0) record.endTime = meta.endTime;
  if (model.artifact !== void 0) record.artifact = model.artifact;
  if (meta.deleted) record.deleted = true;
  return record;
}
function nonEmpty(s) {
  return s === void 0 || s === "" ? void 0 : s;
}
async function readLatestMetrics(source, dir) {
  const files = await listKeyedFiles(source, dir) ?? [];
  const points = await mapLimit(files, READ_CONCURRENCY, async (f) => latestMetricPoint(await source.openStream(f.path), source.describe(f.path)));
  const metrics = {};
  files.forEach((f, i) => {
    const p = points[i];
    if (p !== void 0) setOwn(metrics, f.key, p.value);
  });
  return { metrics, files: new Map(files.map((f) => [f.key, f.path])) };
}
async function* history(source, files, metric) {
  const path = files.get(metric);
  if (path === void 0) return;
  yield* metricPoints(await source.openStream(path), source.describe(path));
}

// schemas/run.schema.json
var run_schema_default = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://modelgate.dev/schemas/run.schema.json",
  title: "modelgate portable run record",
  description: "Run metadata any tracker can export: what modelgate's policies judge (params, metrics, tags, status, model signature, artifact).",
  type: "object",
  additionalProperties: false,
  required: ["run_id"],
  "x-hint": 'a run record needs at least "run_id"',
  properties: {
    run_id: { type: "string", minLength: 1, maxLength: 256, description: "The tracker's run id." },
    experiment: { type: "string", description: "Experiment or project name." },
    status: {
      enum: ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"],
      "x-hint": "use one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED (upper case)"
    },
    start_time: { type: "string", format: "date-time", "x-hint": "an RFC 3339 time with a zone, e.g. 2026-11-20T10:00:00Z" },
    end_time: { type: "string", format: "date-time", "x-hint": "an RFC 3339 time with a zone, e.g. 2026-11-20T10:14:03Z" },
    params: {
      type: "object",
      additionalProperties: { $ref: "#/definitions/text" },
      description: "Hyper-parameters. Numbers and booleans are kept as their JSON text."
    },
    tags: {
      type: "object",
      additionalProperties: { $ref: "#/definitions/text" },
      description: "Tags, e.g. data_version, mlflow.source.git.commit. Numbers and booleans are kept as their JSON text."
    },
    metrics: {
      type: "object",
      additionalProperties: { $ref: "#/definitions/metricValue" },
      description: "Latest value of each metric."
    },
    metric_history: {
      type: "object",
      additionalProperties: { type: "array", items: { $ref: "#/definitions/point" } },
      description: "Every logged point of a metric, in logging order."
    },
    signature: {
      type: "object",
      additionalProperties: false,
      properties: {
        inputs: { $ref: "#/definitions/specList" },
        outputs: { $ref: "#/definitions/specList" },
        params: { $ref: "#/definitions/specList" }
      },
      description: "The model signature as MLflow defines it, with lists (not JSON strings): column specs {type, name, required} or tensor specs {type: tensor, tensor-spec: {dtype, shape}}."
    },
    artifact: {
      type: "string",
      minLength: 1,
      description: "Where the model is: a repository path, an s3:// URI, or an mlflow-artifacts:/ URI (read through the tracking server of source.tracking_uri)."
    },
    source: {
      type: "object",
      additionalProperties: false,
      required: ["tracker", "tracking_uri", "run_id", "fetched_at"],
      "x-hint": "source needs tracker, tracking_uri, run_id and fetched_at",
      description: "Where a snapshot came from (written by `modelgate register --run runs:/... | models:/...`, SPEC section 3.1). Never holds credentials.",
      properties: {
        tracker: { enum: ["mlflow"], "x-hint": 'the only tracker with snapshots is "mlflow"' },
        tracking_uri: { type: "string", pattern: "^https?://[^@/]+(/.*)?$", "x-hint": "the tracking server's http(s) URL, without credentials" },
        server_version: { type: "string" },
        run_id: { type: "string", minLength: 1 },
        experiment_id: { type: "string" },
        model_id: { type: "string" },
        registered_model: {
          type: "object",
          additionalProperties: false,
          required: ["name", "version"],
          "x-hint": 'registered_model is {"name": ..., "version": "3"}',
          properties: { name: { type: "string", minLength: 1 }, version: { type: "string", pattern: "^[0-9]+$" } }
        },
        fetched_at: { type: "string", format: "date-time", "x-hint": "an RFC 3339 time, e.g. 2026-12-02T10:00:00.000Z" }
      }
    }
  },
  definitions: {
    text: {
      type: ["string", "number", "boolean"],
      "x-hint": "write the value as a string (numbers and booleans are accepted)"
    },
    metricValue: {
      anyOf: [
        { type: "number", "x-hint": 'a metric value is a number, or one of "NaN", "Infinity", "-Infinity"' },
        { enum: ["NaN", "Infinity", "-Infinity"], "x-hint": 'a metric value is a number, or one of "NaN", "Infinity", "-Infinity"' }
      ]
    },
    point: {
      type: "object",
      additionalProperties: false,
      required: ["step", "value", "timestamp"],
      "x-hint": 'each point is {"step": <integer>, "value": <number>, "timestamp": <ms since 1970>}',
      properties: {
        step: { type: "integer" },
        value: { $ref: "#/definitions/metricValue" },
        timestamp: { type: "integer", description: "Milliseconds since 1970-01-01 UTC." }
      }
    },
    specList: {
      type: ["array", "null"],
      items: { type: "object" },
      "x-hint": 'a list of specs such as {"type": "double", "name": "age", "required": true}, or null'
    }
  }
};

// src/runs/portable.ts
async function readPortableRun(source, ref, opts = {}) {
  const file = source.describe(ref);
  const text2 = await readSourceText(source, ref);
  if (text2 === void 0) {
    throw new NotFoundError(`run ${file} not found: no .json record at that path`, { hint: "check the run: path in the manifest (relative to the repository root)" });
  }
  const doc = parseJson(text2, file);
  const errors = schemaErrors(run_schema_default, doc);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
  const rec = doc.value;
  const histories = /* @__PURE__ */ new Map();
  for (const [key, points] of Object.entries(rec.metric_history ?? {})) {
    histories.set(key, points.map((p) => ({ step: p.step, timestamp: p.timestamp, value: metricNumber(p.value) })));
  }
  const artifact = opts.artifact ?? recordArtifact(rec, doc);
  const record = {
    format: "json",
    ref,
    runId: rec.run_id,
    params: texts(rec.params),
    metrics: latestMetrics(rec.metrics ?? {}, histories),
    tags: texts(rec.tags),
    signature: await signature(source, rec, file, artifact),
    history: (metric) => replay(histories.get(metric) ?? [])
  };
  if (rec.experiment !== void 0) record.experiment = rec.experiment;
  if (rec.status !== void 0) record.status = rec.status;
  if (rec.start_time !== void 0) record.startTime = new Date(rec.start_time).toISOString();
  if (rec.end_time !== void 0) record.endTime = new Date(rec.end_time).toISOString();
  if (artifact !== void 0) record.artifact = artifact;
  if (rec.source !== void 0) {
    const s = rec.source;
    record.source = { tracker: s.tracker, trackingUri: s.tracking_uri, runId: s.run_id, ...s.model_id ? { modelId: s.model_id } : {} };
  }
  return record;
}
function metricNumber(v) {
  return typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity;
}
function texts(values) {
  const out = {};
  for (const [k, v] of Object.entries(values ?? {})) setOwn(out, k, typeof v === "string" ? v : JSON.stringify(v));
  return out;
}
function latestMetrics(given, histories) {
  const out = {};
  for (const [key, points] of histories) {
    let best;
    for (const p of points) {
      if (!best || isLater(p.step, p.timestamp, p.value, best.step, best.timestamp, best.value)) best = p;
    }
    if (best) setOwn(out, key, best.value);
  }
  for (const [key, v] of Object.entries(given)) setOwn(out, key, metricNumber(v));
  return out;
}
function recordArtifact(rec, doc) {
  const a = rec.artifact;
  if (a === void 0) return void 0;
  try {
    if (isS3Uri(a)) {
      parseS3Uri(a);
      return a;
    }
    if (isMlflowArtifactsUri(a)) return a;
    return normalizeRepoPath(a, "artifact");
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const Located = err instanceof UnsafePathError ? UnsafePathError : InputError;
    throw new Located(err.message, { location: doc.locate(["artifact"]), hint: err.hint ?? "write a repository path or s3://bucket/prefix" });
  }
}
async function signature(source, rec, file, artifact) {
  if (rec.signature !== void 0) return signatureState(`${file} (signature)`, () => parseSignature(rec.signature));
  if (artifact !== void 0 && !isRemoteUri(artifact)) {
    const fromModel = await overrideModel(source, artifact);
    if (fromModel.signature.state !== "unavailable") return fromModel.signature;
  }
  if (artifact !== void 0 && isS3Uri(artifact)) return { state: "unavailable", reason: `the model is in S3 (${artifact}) and the record has no signature` };
  return { state: "absent", source: file };
}
async function* replay(points) {
  yield* points;
}

// src/runs/wandb/config.ts
var INTERNAL_KEYS = /* @__PURE__ */ new Set(["wandb_version", "_wandb"]);
function isMapping(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function configParams(doc) {
  const root = doc.value;
  const params = {};
  if (root === null || root === void 0) return params;
  if (!isMapping(root)) {
    throw new InputError(`W&B config.yaml must be a mapping of config keys, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  for (const [key, entry] of Object.entries(root)) {
    if (INTERNAL_KEYS.has(key)) continue;
    const value = isMapping(entry) && "value" in entry ? entry.value : entry;
    flatten(params, key, value);
  }
  return params;
}
function flatten(out, key, value) {
  if (isMapping(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(out, `${key}.${k}`, v);
    return;
  }
  setOwn(out, key, paramText(value));
}
function paramText(value) {
  if (typeof value === "string") return value;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

// src/runs/wandb/metadata.ts
var ENVIRONMENT_FIELDS = ["program", "codePath", "host", "os", "python", "username", "executable", "docker", "colab", "gpu", "cudaVersion"];
function interpretMetadata(doc) {
  const root = doc.value;
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new InputError(`wandb-metadata.json must be a JSON object, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  const meta = root;
  const tags = {};
  const git2 = meta.git;
  if (typeof git2 === "object" && git2 !== null) {
    const { commit, remote } = git2;
    if (typeof commit === "string" && commit !== "") tags.git_commit = commit;
    if (typeof remote === "string" && remote !== "") tags.git_remote = remote;
  }
  for (const field of ENVIRONMENT_FIELDS) {
    const v = meta[field];
    if (typeof v === "string" && v !== "" || typeof v === "number" && Number.isFinite(v)) tags[`wandb.${field}`] = String(v);
  }
  return { tags, startTime: utcTime(meta.startedAt) };
}
function utcTime(v) {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return void 0;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`;
  const d = new Date(zoned.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(d.getTime()) ? void 0 : d.toISOString();
}

// src/runs/wandb/summary.ts
var SENTINEL = "\0modelgate-nonfinite:";
var NON_FINITE = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };
function parseSummary(text2, file) {
  try {
    return parseJson(text2, file);
  } catch (err) {
    const replaced = replaceNonFinite(text2);
    if (replaced === text2) throw err;
    const doc = parseJson(replaced, file);
    return { ...doc, value: revive(doc.value) };
  }
}
function replaceNonFinite(text2) {
  let out = "";
  let from = 0;
  let inString = false;
  for (let i = 0; i < text2.length; i++) {
    const c = text2.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    for (const token of ["NaN", "Infinity", "-Infinity"]) {
      if (text2.startsWith(token, i)) {
        out += text2.slice(from, i) + JSON.stringify(SENTINEL + token);
        i += token.length - 1;
        from = i + 1;
        break;
      }
    }
  }
  return out + text2.slice(from);
}
function revive(v) {
  if (typeof v === "string" && v.startsWith(SENTINEL)) return NON_FINITE[v.slice(SENTINEL.length)] ?? v;
  if (Array.isArray(v)) return v.map(revive);
  if (typeof v === "object" && v !== null) {
    const out = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, revive(x));
    return out;
  }
  return v;
}
function summaryMetrics(doc) {
  const root = doc.value;
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new InputError(`wandb-summary.json must be a JSON object, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  const metrics = {};
  collect(metrics, "", root);
  return metrics;
}
function collect(out, prefix, obj) {
  if ("_type" in obj) return;
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith("_")) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "number") setOwn(out, name, value);
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) collect(out, name, value);
  }
}

// src/runs/wandb/run.ts
var RUN_LOG = /^run-(.+)\.wandb$/;
var RUN_DIR = /^(?:offline-)?run-\d{8}_\d{6}-(.+)$/;
async function isWandbRun(source, ref) {
  if ((await source.stat(childPath(ref, "files")))?.type === "dir") return true;
  return (await source.list(ref) ?? []).some((n) => RUN_LOG.test(n));
}
async function readWandbRun(source, ref, opts = {}) {
  const files = childPath(ref, "files");
  const paths = {
    config: childPath(files, "config.yaml"),
    summary: childPath(files, "wandb-summary.json"),
    metadata: childPath(files, "wandb-metadata.json")
  };
  const [config, summary, metadata] = await Promise.all([
    readSourceText(source, paths.config),
    readSourceText(source, paths.summary),
    readSourceText(source, paths.metadata)
  ]);
  if (config === void 0 && summary === void 0 && metadata === void 0) {
    const dir = source.describe(ref);
    throw new InputError(`W&B run ${dir} has no files/config.yaml, files/wandb-summary.json or files/wandb-metadata.json: it is an offline run that was never synced`, {
      location: { file: dir },
      hint: `run \`wandb sync ${dir}\` and commit the files it writes under files/`
    });
  }
  const params = config === void 0 ? {} : configParams(parseYaml(config, source.describe(paths.config)));
  const metrics = summary === void 0 ? {} : summaryMetrics(parseSummary(summary, source.describe(paths.summary)));
  const meta = metadata === void 0 ? { tags: {}, startTime: void 0 } : interpretMetadata(parseJson(metadata, source.describe(paths.metadata)));
  const model = opts.artifact !== void 0 ? await overrideModel(source, opts.artifact) : void 0;
  const noSignature = {
    state: "unavailable",
    reason: "W&B runs record no model signature; set artifact: to an MLflow model directory, or use a portable run record with a signature"
  };
  const record = {
    format: "wandb",
    ref,
    runId: await runId(source, ref),
    params,
    metrics,
    tags: meta.tags,
    signature: model?.signature ?? noSignature,
    history: noHistory
  };
  if (meta.startTime !== void 0) record.startTime = meta.startTime;
  if (model?.artifact !== void 0) record.artifact = model.artifact;
  return record;
}
async function runId(source, ref) {
  const log = (await source.list(ref) ?? []).map((n) => RUN_LOG.exec(n)?.[1]).find((id) => id !== void 0);
  if (log !== void 0) return log;
  const dir = baseName(ref === "" ? source.describe("").replace(/\/+$/, "") : ref);
  return RUN_DIR.exec(dir)?.[1] ?? dir;
}
async function* noHistory() {
}

// src/runs/read.ts
async function readRun(source, ref, opts = {}) {
  if (ref.endsWith(".json") || ref === "" && (await source.stat(""))?.type === "file") return readPortableRun(source, ref, opts);
  await refuseRegistryVersion(source, ref);
  if (await source.stat(childPath(ref, "meta.yaml")) !== void 0) return readMlflowRun(source, ref, opts);
  if (await isWandbRun(source, ref)) return readWandbRun(source, ref, opts);
  const where = source.describe(ref);
  throw new NotFoundError(`run ${where} not found: no meta.yaml, W&B files/ or .json record at that path`, {
    location: { file: where },
    hint: "point run: at an MLflow run directory (mlruns/<experiment>/<run_id>), a W&B run directory (wandb/run-<date>-<id>) or a portable .json run record"
  });
}
async function refuseRegistryVersion(source, ref) {
  const m = /(?:^|\/)models\/([^/]+)\/version-([0-9]+)$/.exec(ref);
  if (!m) return;
  const text2 = await readSourceText(source, childPath(ref, "meta.yaml")).catch(() => void 0);
  if (text2 === void 0) return;
  const runId2 = /^run_id:\s*([0-9A-Za-z_-]+)\s*$/m.exec(text2)?.[1];
  const where = source.describe(ref);
  throw new InputError(`${where} is a model registry version (${m[1]} version ${m[2]}), not a run`, {
    location: { file: where },
    hint: `register models:/${m[1]}/${m[2]} from the tracking server${runId2 ? `, or the run that logged it: --run ${runId2} (or mlruns/<experiment>/${runId2})` : ""}`
  });
}
async function findBareRunId(source, ref) {
  if (!/^[0-9a-f]{32}$/.test(ref) || await source.stat(ref) !== void 0) return void 0;
  const found = [];
  for (const exp of await source.list("mlruns") ?? []) {
    const dir = `mlruns/${exp}/${ref}`;
    if ((await source.stat(childPath(dir, "meta.yaml")))?.type === "file") found.push(dir);
  }
  if (found.length > 1) {
    throw new InputError(`run id ${ref} is in more than one experiment under mlruns/: ${found.join(", ")}`, { hint: "pass the run directory itself with --run" });
  }
  return found[0];
}

// src/git/exec.ts
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
function scrubUrl(text2) {
  return text2.replace(/(\w+:\/\/)[^/@\s]+@/g, "$1***@");
}
var LOCKED_CONFIG = [
  ["safe.bareRepository", "explicit"],
  ["core.fsmonitor", "false"],
  ["remote.origin.uploadpack", "git-upload-pack"],
  ["remote.origin.receivepack", "git-receive-pack"],
  ["protocol.ext.allow", "never"]
];
var DISCOVERY_VARS = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE"];
function gitEnv(o = {}) {
  const env = { ...process.env };
  for (const k of DISCOVERY_VARS) delete env[k];
  const config = [...LOCKED_CONFIG, ...o.hooks ? [] : [["core.hooksPath", "/dev/null"]]];
  const inherited = Number(env.GIT_CONFIG_COUNT);
  const start = Number.isInteger(inherited) && inherited > 0 ? inherited : 0;
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${start + i}`] = key;
    env[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(start + config.length);
  const ceiling = o.ceiling ?? (o.cwd ? dirname(resolve(o.cwd)) : void 0);
  if (ceiling) env.GIT_CEILING_DIRECTORIES = ceiling;
  return { ...env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...o.extra };
}
var DISK_FULL = /no space left on device|out of diskspace|disk quota exceeded/i;
function git(args, opts) {
  return new Promise((resolve2, reject) => {
    const child = spawn("git", args, {
      cwd: opts.cwd,
      env: envFor(opts),
      stdio: ["pipe", "pipe", "pipe"]
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    child.on("error", (e) => {
      reject(
        e.code === "ENOENT" ? new EnvironmentError("git is not installed (or not on PATH)", { hint: "install git; modelgate reads the registry history with it" }) : new EnvironmentError(`could not run git ${args[0]}: ${e.message}`, { cause: e })
      );
    });
    child.on("close", (code) => {
      const res = { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), code: code ?? 1 };
      if (res.code !== 0 && !opts.allowFail) {
        const full = DISK_FULL.test(res.stderr);
        reject(
          new EnvironmentError(`${full ? "the disk is full: " : ""}git ${scrubUrl(args.join(" "))} failed: ${scrubUrl(res.stderr.trim()) || `exit ${res.code}`}`, {
            hint: full ? "free some disk space, then re-run" : "check that the repository is a healthy git checkout and that remotes are reachable"
          })
        );
        return;
      }
      resolve2(res);
    });
    child.stdin.on("error", () => void 0);
    child.stdin.end(opts.input ?? "");
  });
}
function envFor(opts) {
  return gitEnv({ cwd: opts.cwd, ...opts.env ? { extra: opts.env } : {}, ...opts.hooks ? { hooks: true } : {}, ...opts.ceiling !== void 0 ? { ceiling: opts.ceiling } : {} });
}

// src/storage/atomic.ts
import { promises as fs, rmSync } from "node:fs";
import { dirname as dirname2, basename, join } from "node:path";
import { randomBytes } from "node:crypto";
var crashAfter = process.env.MODELGATE_TEST_CRASH_AFTER_WRITES;
var failWrite = process.env.MODELGATE_TEST_FAIL_WRITE;
var crashAt = process.env.MODELGATE_TEST_CRASH_AT;
var landed = 0;
var started = 0;
function isTempFile(path) {
  return /(^|\/)\.[^/]+\.\d+\.[0-9a-f]{8}\.tmp$/.test(path);
}
function crashPoint(label) {
  if (crashAt === label) process.kill(process.pid, "SIGKILL");
}
var pendingBackups = /* @__PURE__ */ new Set();
process.once("exit", () => {
  for (const b of pendingBackups) rmSync(b, { force: true });
});
async function writeFileAtomic(path, data) {
  const backup = tempName(path);
  const previous = await preserve(path, backup);
  if (previous === "linked") pendingBackups.add(backup);
  const drop = async () => {
    pendingBackups.delete(backup);
    if (previous === "linked") await fs.rm(backup, { force: true });
  };
  try {
    await replaceVia(path, (tmp) => writeSynced(tmp, "wx", data));
  } catch (err) {
    await drop().catch(() => void 0);
    throw err;
  }
  return {
    undo: async () => {
      try {
        if (previous === "linked") await fs.rename(backup, path);
        else if (previous === "absent") await fs.rm(path, { force: true });
        else await replaceVia(path, (tmp) => writeSynced(tmp, "wx", previous));
        pendingBackups.delete(backup);
      } catch (err) {
        throw undoError(path, err);
      }
    },
    keep: drop
  };
}
async function preserve(path, backup) {
  try {
    await fs.link(path, backup);
    return "linked";
  } catch (err) {
    if (err.code === "ENOENT") return "absent";
    try {
      return await fs.readFile(path);
    } catch (readErr) {
      if (readErr.code === "ENOENT") return "absent";
      throw writeError(path, readErr);
    }
  }
}
async function appendFileAtomic(path, text2) {
  let sizeBefore;
  await replaceVia(path, async (tmp) => {
    try {
      await fs.copyFile(path, tmp);
      sizeBefore = (await fs.stat(tmp)).size;
    } catch (err) {
      if (err.code !== "ENOENT") throw err;
    }
    await writeSynced(tmp, "a", text2);
  });
  return {
    undo: async () => {
      try {
        if (sizeBefore === void 0) await fs.rm(path, { force: true });
        else await fs.truncate(path, sizeBefore);
      } catch (err) {
        throw undoError(path, err);
      }
    },
    keep: async () => void 0
  };
}
function tempName(path) {
  return join(dirname2(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}
async function replaceVia(path, fill) {
  const dir = dirname2(path);
  const tmp = tempName(path);
  const n = ++started;
  try {
    await fs.mkdir(dir, { recursive: true });
    await removeStaleTemps(dir, basename(path));
    await fill(tmp);
    if (failWrite !== void 0 && n === Number(failWrite)) throw Object.assign(new Error("no space left on device (test hook)"), { code: "ENOSPC" });
    crashPoint(`staged:${n}`);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => void 0);
    throw writeError(path, err);
  }
  landed++;
  if (crashAfter !== void 0 && landed >= Number(crashAfter)) process.kill(process.pid, "SIGKILL");
}
async function writeSynced(file, flag, data) {
  const fh = await fs.open(file, flag);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
async function removeStaleTemps(dir, name) {
  const entries = await fs.readdir(dir).catch(() => []);
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length));
    if (!m || isAlive(Number(m[1]))) continue;
    await fs.rm(join(dir, entry), { force: true }).catch(() => void 0);
  }
}
function isAlive(pid) {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code !== "ESRCH";
  }
}
function isDiskFull(err) {
  const code = err?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}
function writeError(path, err) {
  if (err instanceof EnvironmentError) return err;
  if (isDiskFull(err)) {
    return new EnvironmentError(`the disk is full: could not write ${path} (${err.code})`, {
      hint: "free some disk space, then re-run; nothing was changed",
      cause: err
    });
  }
  return new EnvironmentError(`could not write ${path}: ${err.message}`, {
    hint: "check free disk space and permissions; nothing was changed",
    cause: err
  });
}
function undoError(path, err) {
  return new EnvironmentError(`could not restore ${path} after a failed change: ${err.message}`, {
    hint: `restore it from git (git checkout HEAD -- <file>, or delete it if it is new)`,
    cause: err
  });
}

// src/audit/log.ts
import { promises as fs2 } from "node:fs";
import { isUtf8 } from "node:buffer";

// src/audit/canonical.ts
import { createHash } from "node:crypto";

// node_modules/canonicalize/lib/canonicalize.js
function hasLoneSurrogate(value) {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 55296 && code <= 56319) {
      if (i === value.length - 1) {
        return true;
      }
      const next = value.charCodeAt(i + 1);
      if (!(next >= 56320 && next <= 57343)) {
        return true;
      }
      i++;
    } else if (code >= 56320 && code <= 57343) {
      return true;
    }
  }
  return false;
}
function canonicalize(object, seen = /* @__PURE__ */ new Set()) {
  if (typeof object === "number" && isNaN(object)) {
    throw new Error("NaN is not allowed");
  }
  if (typeof object === "number" && !isFinite(object)) {
    throw new Error("Infinity is not allowed");
  }
  if (typeof object === "string" && hasLoneSurrogate(object)) {
    throw new Error("Lone surrogate is not allowed");
  }
  if (object === null || typeof object !== "object") {
    return JSON.stringify(object);
  }
  if (typeof object.toJSON === "function") {
    if (seen.has(object)) {
      throw new Error("Circular reference detected");
    }
    seen.add(object);
    const result2 = canonicalize(object.toJSON(), seen);
    seen.delete(object);
    return result2;
  }
  if (seen.has(object)) {
    throw new Error("Circular reference detected");
  }
  seen.add(object);
  let result;
  if (Array.isArray(object)) {
    const values = object.map((cv) => {
      const value = cv === void 0 || typeof cv === "symbol" ? null : cv;
      return canonicalize(value, seen);
    });
    result = `[${values.join(",")}]`;
  } else {
    const parts = [];
    for (const key of Object.keys(object).sort()) {
      if (object[key] === void 0 || typeof object[key] === "symbol") {
        continue;
      }
      parts.push(`${canonicalize(key)}:${canonicalize(object[key], seen)}`);
    }
    result = `{${parts.join(",")}}`;
  }
  seen.delete(object);
  return result;
}

// src/audit/canonical.ts
function jsonSafeNumber(n) {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return n;
}
function canonicalJson(value) {
  assertCanonicalizable(value, "$");
  return serialize(value);
}
function sha256Hex(text2) {
  return createHash("sha256").update(text2, "utf8").digest("hex");
}
function serialize(value) {
  let text2;
  try {
    text2 = canonicalize(value);
  } catch (err) {
    throw new Error(`cannot canonicalize JSON: ${err.message}`, { cause: err });
  }
  if (text2 === void 0) throw new Error("cannot canonicalize JSON: the value is undefined");
  return text2;
}
function assertCanonicalizable(value, path) {
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) {
        throw new Error(`cannot canonicalize JSON: ${path} is ${value}; store non-finite numbers with jsonSafeNumber()`);
      }
      return;
    case "bigint":
    case "function":
    case "symbol":
      throw new Error(`cannot canonicalize JSON: ${path} is a ${typeof value}, which JSON cannot represent`);
    case "object":
      if (value === null) return;
      if (value instanceof Map || value instanceof Set) {
        throw new Error(`cannot canonicalize JSON: ${path} is a ${value.constructor.name}; convert it to an object or array`);
      }
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item === void 0) throw new Error(`cannot canonicalize JSON: ${path}[${i}] is undefined`);
          assertCanonicalizable(item, `${path}[${i}]`);
        });
        return;
      }
      if (typeof value.toJSON === "function") return;
      for (const [k, v] of Object.entries(value)) {
        if (v !== void 0) assertCanonicalizable(v, `${path}.${k}`);
      }
      return;
    default:
      return;
  }
}

// src/audit/log.ts
var MAX_LINE_BYTES = 1024 * 1024;
var NEWLINE = 10;
var UnreadableLineError = class extends InputError {
  constructor(file, line, problem) {
    super(`line ${line} ${problem}`, {
      location: { file, line },
      hint: "the file was not written by modelgate; restore it from git history"
    });
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
  file;
  line;
  problem;
};
var LineTooLongError = class extends UnreadableLineError {
  constructor(file, line) {
    super(file, line, "is longer than 1 MiB: not an audit record");
  }
};
async function* readLines(stream, file = "<audit log>") {
  let pieces = [];
  let pending = 0;
  let lineNo = 0;
  for await (const chunk of stream) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      lineNo++;
      const part = buf.subarray(start, nl);
      if (pending + part.length > MAX_LINE_BYTES) throw new LineTooLongError(file, lineNo);
      const bytes = pending === 0 ? part : Buffer.concat([...pieces, part], pending + part.length);
      pieces = [];
      pending = 0;
      yield decodeLine(bytes, file, lineNo);
      start = nl + 1;
    }
    if (start < buf.length) {
      const rest = buf.subarray(start);
      if (pending + rest.length > MAX_LINE_BYTES) throw new LineTooLongError(file, lineNo + 1);
      pieces.push(Buffer.from(rest));
      pending += rest.length;
    }
  }
  if (pending > 0) yield decodeLine(Buffer.concat(pieces, pending), file, lineNo + 1);
}
function decodeLine(bytes, file, lineNo) {
  let text2 = bytes.toString("utf8");
  if (text2.includes("\uFFFD") && !isUtf8(bytes)) throw new UnreadableLineError(file, lineNo, "is not valid UTF-8");
  if (text2.endsWith("\r")) text2 = text2.slice(0, -1);
  return text2;
}
function recordShapeError(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const r = value;
  if (!isPositiveInt(r.seq)) return '"seq" must be a positive integer';
  for (const key of ["time", "actor", "model"]) {
    if (typeof r[key] !== "string" || r[key] === "") return `"${key}" must be a non-empty string`;
  }
  if (!ACTIONS.has(r.action)) return `"action" must be one of ${[...ACTIONS].join(", ")}`;
  if (!isPositiveInt(r.version)) return '"version" must be a positive integer';
  if (r.from !== null && !STAGE_SET.has(r.from)) return `"from" must be null or one of ${STAGES.join(", ")}`;
  if (!(STAGE_SET.has(r.to) || typeof r.to === "string" && r.to.length > 1 && r.to.startsWith("@"))) return `"to" must be a stage or @alias`;
  if (!Array.isArray(r.checks) || !r.checks.every(isCheck)) return '"checks" must be a list of {id, status}';
  if (typeof r.prev !== "string" || !DIGEST.test(r.prev)) return '"prev" must be sha256:<64 hex>';
  if (typeof r.hash !== "string" || !DIGEST.test(r.hash)) return '"hash" must be sha256:<64 hex>';
  if (r.removed !== void 0 && typeof r.removed !== "boolean") return '"removed" must be a boolean';
  if (r.displaced !== void 0 && !isPositiveInt(r.displaced)) return '"displaced" must be a positive integer';
  if (r.reason !== void 0 && typeof r.reason !== "string") return '"reason" must be a string';
  return sourceShapeError(r.source);
}
function sourceShapeError(source) {
  if (source === void 0) return void 0;
  if (typeof source !== "object" || source === null || Array.isArray(source)) return '"source" must be an object';
  const s = source;
  if (s.commit !== void 0 && (typeof s.commit !== "string" || !/^[0-9a-f]{4,64}$/.test(s.commit))) {
    return '"source.commit" must be a hex commit id';
  }
  if (s.pr !== void 0 && !isPositiveInt(s.pr)) return '"source.pr" must be a positive integer';
  return void 0;
}
var ACTIONS = /* @__PURE__ */ new Set(["register", "promote", "archive", "rollback", "alias"]);
var STAGE_SET = new Set(STAGES);
var DIGEST = /^sha256:[0-9a-f]{64}$/;
function isPositiveInt(v) {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}
function isCheck(c) {
  return typeof c === "object" && c !== null && typeof c.id === "string" && typeof c.status === "string";
}
function parseRecordLine(line, file, lineNo) {
  let value;
  try {
    value = JSON.parse(line);
  } catch (err) {
    const pos = /position (\d+)/.exec(err.message);
    throw new InputError(`line ${lineNo} is not valid JSON: ${err.message}`, {
      location: { file, line: lineNo, ...pos ? { column: Number(pos[1]) + 1 } : {} },
      hint: "audit logs are written by modelgate only; restore the file from git history",
      cause: err
    });
  }
  const problem = recordShapeError(value);
  if (problem) {
    throw new InputError(`line ${lineNo} is not an audit record: ${problem}`, {
      location: { file, line: lineNo },
      hint: "audit logs are written by modelgate only; restore the file from git history"
    });
  }
  return value;
}
function serializeRecord(r) {
  return canonicalJson(r);
}
async function appendRecords(absPath, records) {
  if (records.length === 0) return { undo: async () => void 0, keep: async () => void 0 };
  records.forEach((r, i) => {
    const before = records[i - 1];
    if (before && (r.prev !== before.hash || r.seq !== before.seq + 1)) {
      throw new Error(`appendRecords: record seq ${r.seq} does not continue seq ${before.seq}`);
    }
  });
  const text2 = records.map((r) => serializeRecord(r) + "\n").join("");
  const separator = await endsWithoutNewline(absPath) ? "\n" : "";
  return appendFileAtomic(absPath, separator + text2);
}
async function endsWithoutNewline(path) {
  let fh;
  try {
    fh = await fs2.open(path, "r");
  } catch {
    return false;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    return last[0] !== NEWLINE;
  } finally {
    await fh.close();
  }
}

// src/audit/replay.ts
var STAGE_SET2 = new Set(STAGES);
function pushWithDisplaced(history2, r) {
  if (r.displaced !== void 0 && r.displaced !== r.version && history2[history2.length - 1] !== r.displaced) history2.push(r.displaced);
  history2.push(r.version);
}
function isStage(to) {
  return STAGE_SET2.has(to);
}
var Replayer = class {
  state = {
    stages: /* @__PURE__ */ new Map(),
    aliases: /* @__PURE__ */ new Map(),
    enteredAt: /* @__PURE__ */ new Map(),
    productionHistory: [],
    aliasHistory: /* @__PURE__ */ new Map(),
    versionsWithRecords: /* @__PURE__ */ new Set()
  };
  apply(r) {
    const s = this.state;
    s.versionsWithRecords.add(r.version);
    if (r.to.startsWith("@")) return this.applyAlias(r.to.slice(1), r);
    if (!isStage(r.to)) return;
    if (s.stages.get(r.version) !== r.to) {
      s.enteredAt.set(r.version, { stage: r.to, time: r.time, seq: r.seq });
      if (r.to === "Production") pushWithDisplaced(s.productionHistory, r);
    }
    s.stages.set(r.version, r.to);
  }
  applyAlias(name, r) {
    const s = this.state;
    const history2 = s.aliasHistory.get(name) ?? [];
    s.aliasHistory.set(name, history2);
    if (r.removed) {
      s.aliases.delete(name);
      return;
    }
    if (s.aliases.get(name) !== r.version) pushWithDisplaced(history2, r);
    s.aliases.set(name, r.version);
  }
};
function compareWithManifest(replay2, manifest, genesis) {
  return [...compareStages(replay2, manifest, genesis), ...compareAliases(replay2, manifest, genesis)];
}
function compareStages(replay2, manifest, genesis) {
  const out = [];
  const now = new Map(manifest.versions.map((v) => [v.version, v.stage]));
  for (const [version, stage] of [...replay2.stages].sort((a, b) => a[0] - b[0])) {
    const actual = now.get(version);
    if (actual === void 0) {
      if (stage !== "Archived") out.push(`v${version} is not in the manifest but its last record says ${stage} (only Archived versions may be removed)`);
    } else if (actual !== stage) {
      out.push(`v${version} is ${actual} in the manifest but its last record says ${stage}`);
    }
  }
  if (!genesis) return out;
  const before = new Map(genesis.versions.map((v) => [v.version, v.stage]));
  for (const v of manifest.versions) {
    if (replay2.stages.has(v.version)) continue;
    const expected = before.get(v.version) ?? "None";
    if (v.stage === expected) continue;
    out.push(
      before.has(v.version) ? `v${v.version} is ${v.stage} in the manifest but has no record; it was ${expected} when the audit log was adopted` : `v${v.version} is ${v.stage} in the manifest but has no record (not even its registration)`
    );
  }
  for (const [version, stage] of before) {
    if (!now.has(version) && !replay2.stages.has(version) && stage !== "Archived") {
      out.push(`v${version} was removed from the manifest while ${stage}, without a record`);
    }
  }
  return out;
}
function compareAliases(replay2, manifest, genesis) {
  const out = [];
  const names = /* @__PURE__ */ new Set([...Object.keys(manifest.aliases), ...replay2.aliasHistory.keys()]);
  for (const name of [...names].sort()) {
    const actual = manifest.aliases[name];
    if (replay2.aliasHistory.has(name)) {
      const recorded = replay2.aliases.get(name);
      if (actual === recorded) continue;
      if (recorded === void 0) out.push(`alias @${name} points to v${actual} in the manifest but its last record removed it`);
      else if (actual === void 0) out.push(`alias @${name} is not in the manifest but its last record points it to v${recorded}`);
      else out.push(`alias @${name} points to v${actual} in the manifest but its last record says v${recorded}`);
      continue;
    }
    if (!genesis) continue;
    const expected = genesis.aliases[name];
    if (actual === expected) continue;
    out.push(
      expected === void 0 ? `alias @${name} points to v${actual} in the manifest but has no record` : `alias @${name} points to v${actual} in the manifest but has no record; it pointed to v${expected} when the audit log was adopted`
    );
  }
  for (const [name, version] of Object.entries(genesis?.aliases ?? {})) {
    if (!(name in manifest.aliases) && !replay2.aliasHistory.has(name)) out.push(`alias @${name} (v${version} at adoption) was removed from the manifest without a record`);
  }
  return out;
}

// src/audit/types.ts
var GENESIS_PREV = "sha256:" + "0".repeat(64);

// src/audit/chain.ts
function sealRecord(fields, prev) {
  const { hash: _stale, ...rest } = fields;
  const text2 = canonicalJson({ ...rest, seq: prev ? prev.seq + 1 : 1, prev: prev ? prev.hash : GENESIS_PREV });
  const body = JSON.parse(text2);
  return { ...body, hash: "sha256:" + sha256Hex(text2) };
}
var MAX_PROBLEMS = 1e3;
var MAX_OPEN_GAPS = 1e3;
async function verifyChainStream(lines, model, file, onRecord) {
  const v = new ChainVerifier(model);
  try {
    for await (const line of lines) v.line(line, onRecord);
  } catch (err) {
    if (!(err instanceof UnreadableLineError)) throw err;
    v.problem({ line: err.line, message: `line ${err.line} of ${file} ${err.problem}; reading stopped there` });
  }
  return v.finish();
}
var ChainVerifier = class {
  constructor(model) {
    this.model = model;
  }
  model;
  lineNo = 0;
  count = 0;
  maxSeq = 0;
  maxHash;
  lastSeq = 0;
  /** Lines since the last record that could not be read: they account for that many seqs. */
  unreadable = 0;
  blankLines = [];
  gaps = [];
  problems = [];
  dropped = 0;
  line(text2, onRecord) {
    const n = ++this.lineNo;
    if (text2.trim() === "") {
      this.blankLines.push(n);
      return;
    }
    for (const b of this.blankLines) this.problem({ line: b, message: `line ${b} is blank (audit logs have one record per line)` });
    this.blankLines = [];
    let value;
    try {
      value = JSON.parse(text2);
    } catch {
      this.problem({ line: n, message: `line ${n}: not valid JSON${looksTruncated(text2) ? " (truncated?)" : ""}` });
      this.unreadable++;
      return;
    }
    const shape = recordShapeError(value);
    if (shape) {
      const seq = value?.seq;
      this.problem({ line: n, ...typeof seq === "number" ? { seq } : {}, message: `line ${n}: not an audit record: ${shape}` });
      this.unreadable++;
      return;
    }
    const r = value;
    this.count++;
    this.checkContent(r, text2, n);
    this.checkOrder(r, n);
    onRecord(r);
  }
  checkContent(r, text2, n) {
    if (r.model !== this.model) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} is for model '${r.model}', not '${this.model}' (copied from another log?)` });
    }
    if (sealedAsWritten(text2, r)) return;
    let body;
    let canonical;
    try {
      const { hash: _hash, ...rest } = r;
      body = canonicalJson(rest);
      canonical = canonicalJson(r) === text2;
    } catch (err) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} cannot be hashed: ${err.message}` });
      return;
    }
    if ("sha256:" + sha256Hex(body) !== r.hash) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} was edited: its hash does not match its content` });
    } else if (!canonical) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} is not in canonical form (edited outside modelgate?)` });
    }
  }
  checkOrder(r, n) {
    const s = r.seq;
    if (s === this.maxSeq + 1) {
      const expected = s === 1 ? GENESIS_PREV : this.maxHash;
      if (r.prev !== expected) {
        this.problem({
          seq: s,
          line: n,
          message: s === 1 ? `record 1 does not start the chain: its prev is not the genesis value` : `record ${s} does not follow record ${s - 1}: its prev is not record ${s - 1}'s hash`
        });
      }
    } else if (s > this.maxSeq + 1 && s - this.maxSeq - 1 <= this.unreadable) {
    } else if (s > this.maxSeq + 1) {
      this.openGap({ lo: this.maxSeq + 1, hi: s - 1, line: n, afterSeq: this.lastSeq, atSeq: s });
    } else if (this.closeGap(s)) {
      this.problem({ seq: s, line: n, message: `record seq ${s} follows seq ${this.lastSeq}: records are out of order (swapped or moved?)` });
    } else {
      this.problem({ seq: s, line: n, message: `seq ${s} appears twice (duplicated?)` });
    }
    if (s > this.maxSeq) {
      this.maxSeq = s;
      this.maxHash = r.hash;
    }
    this.lastSeq = s;
    this.unreadable = 0;
  }
  openGap(g) {
    this.gaps.push(g);
    if (this.gaps.length > MAX_OPEN_GAPS) this.reportGap(this.gaps.shift());
  }
  /** True when `seq` was inside a gap (it arrived late), which it then leaves. */
  closeGap(seq) {
    const i = this.gaps.findIndex((g2) => g2.lo <= seq && seq <= g2.hi);
    if (i === -1) return false;
    const g = this.gaps[i];
    const parts = [];
    if (g.lo < seq) parts.push({ ...g, hi: seq - 1 });
    if (seq < g.hi) parts.push({ ...g, lo: seq + 1 });
    this.gaps.splice(i, 1, ...parts);
    return true;
  }
  reportGap(g) {
    const what = g.lo === g.hi ? `record ${g.lo} is missing` : `records ${g.lo}-${g.hi} are missing`;
    const message = g.afterSeq === 0 ? `the log starts at seq ${g.atSeq}: ${what} (deleted?)` : `record seq ${g.atSeq} follows seq ${g.afterSeq}: ${what} (deleted?)`;
    this.problem({ seq: g.lo, line: g.line, message });
  }
  problem(p) {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    else this.dropped++;
  }
  finish() {
    for (const g of this.gaps) this.reportGap(g);
    this.gaps = [];
    const problems = this.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (this.dropped > 0) problems.push({ message: `\u2026 and ${this.dropped} more problems` });
    return { count: this.count, problems };
  }
};
function sealedAsWritten(line, r) {
  const member = ',"hash":' + JSON.stringify(r.hash);
  const at = line.indexOf(member);
  if (at === -1) return false;
  if ("sha256:" + sha256Hex(line.slice(0, at) + line.slice(at + member.length)) !== r.hash) return false;
  const keys = Object.keys(r);
  const i = keys.indexOf("hash");
  return i > 0 && keys[i - 1] < "hash" && (i === keys.length - 1 || keys[i + 1] > "hash");
}
function looksTruncated(text2) {
  return text2.startsWith("{") && !text2.trimEnd().endsWith("}");
}

// src/commands/auditState.ts
async function readAuditState(state, file, model, opts = {}) {
  await assertPlainPath(state, file, "an audit log");
  const stat = await state.stat(file);
  if (!stat) return void 0;
  const replayer = new Replayer();
  const sourceCommits = /* @__PURE__ */ new Set();
  let last;
  let hashOfSeq;
  const appended = [];
  const result = await verifyChainStream(readLines(await state.openStream(file)), model, state.describe(file), (rec) => {
    replayer.apply(rec);
    last = rec;
    if (rec.source?.commit) sourceCommits.add(rec.source.commit);
    if (rec.seq === opts.hashOfSeq && hashOfSeq === void 0) hashOfSeq = rec.hash;
    if (opts.collectAfterSeq !== void 0 && rec.seq > opts.collectAfterSeq) appended.push(rec);
  });
  return { file, count: result.count, last, problems: result.problems, replay: replayer.state, sourceCommits, ...hashOfSeq !== void 0 ? { hashOfSeq } : {}, ...opts.collectAfterSeq !== void 0 ? { appended } : {} };
}

// src/artifacts/verify.ts
async function checkArtifact(uri, expected, o) {
  const d = await digestArtifact(uri, o);
  return {
    uri,
    exists: d.exists,
    ...expected !== void 0 ? { expected } : {},
    ...d.digest !== void 0 ? { actual: d.digest } : {}
  };
}

// src/commands/stageHistory.ts
async function enteredStageAt(deps, model, version, stage) {
  const audit = await readAuditState(deps.state, auditPath(deps.layout, model), model);
  const entry = audit?.replay.enteredAt.get(version);
  if (entry && entry.stage === stage) {
    const recorded = new Date(entry.time);
    const landed2 = await landedAt(deps, auditPath(deps.layout, model), entry.seq);
    return landed2 && landed2 > recorded ? landed2 : recorded;
  }
  return enteredStageFromGit(deps, model, version, stage);
}
async function landedAt(deps, file, seq) {
  if (deps.state.commit === void 0) return void 0;
  const r = await git(["blame", "--first-parent", "--porcelain", "-L", `${seq},${seq}`, deps.state.commit, "--", file], { cwd: deps.root, allowFail: true });
  const m = /^committer-time (\d+)$/m.exec(r.stdout);
  return r.code === 0 && m ? new Date(Number(m[1]) * 1e3) : void 0;
}
async function enteredStageFromGit(deps, model, version, stage) {
  const file = manifestPath(deps.layout, model);
  const start = deps.state.commit ?? "HEAD";
  const log = await git(["log", "--first-parent", "--format=%H %cI", start, "--", file], { cwd: deps.root, allowFail: true });
  if (log.code !== 0) return void 0;
  const commits = log.stdout.split("\n").filter(Boolean).map((l) => {
    const [sha, time2] = l.split(" ");
    return { sha, time: time2 };
  });
  let entered;
  for (const c of commits) {
    const shown = await git(["show", `${c.sha}:${file}`], { cwd: deps.root, allowFail: true });
    if (shown.code !== 0) break;
    let stageThen;
    try {
      stageThen = loadManifest(shown.stdout, file, { singleProduction: false }).manifest.versions.find((v) => v.version === version)?.stage;
    } catch {
      break;
    }
    if (stageThen !== stage) break;
    entered = c.time;
  }
  return entered ? new Date(entered) : void 0;
}

// src/artifacts/evidence.ts
var MLFLOW_DIRS = ["params", "tags", "metrics"];
var WANDB_FILES = ["files/config.yaml", "files/wandb-summary.json", "files/wandb-metadata.json"];
async function runEvidence(source, ref, opts = {}) {
  const rec = await readRun(source, ref, opts);
  if (rec.format === "json") {
    const sha256 = await hashFile(source, ref);
    return { digest: `sha256:${sha256}`, files: [{ path: ref.split("/").pop() ?? ref, sha256 }] };
  }
  const files = [];
  if (rec.format === "mlflow") {
    files.push({ path: "meta.yaml", sha256: await hashFile(source, childPath(ref, "meta.yaml")) });
    for (const dir of MLFLOW_DIRS) files.push(...await filesUnder(source, ref, dir));
    const model = rec.artifact;
    if (model !== void 0 && !isRemoteUri(model)) {
      const mlmodel = childPath(model, "MLmodel");
      if ((await source.stat(mlmodel))?.type === "file") files.push({ path: relativeTo(ref, mlmodel) ?? "MLmodel", sha256: await hashFile(source, mlmodel) });
    }
  } else {
    for (const rel of WANDB_FILES) {
      const path = childPath(ref, rel);
      if ((await source.stat(path))?.type === "file") files.push({ path: rel, sha256: await hashFile(source, path) });
    }
  }
  return { digest: directoryDigest(files), files };
}
async function filesUnder(source, ref, dir) {
  const tree = await localTree(source, childPath(ref, dir));
  if (tree.kind !== "dir") return [];
  const out = [];
  for (const f of tree.files) out.push({ path: `${dir}/${f.path}`, sha256: await hashFile(source, childPath(ref, dir, f.path)) });
  return out;
}
async function hashFile(source, path) {
  if ((await source.stat(path))?.type !== "file") {
    throw new NotFoundError(`${source.describe(path)} is not a file`, { location: { file: source.describe(path) } });
  }
  return sha256OfStream(await source.openStream(path));
}
function relativeTo(dir, path) {
  if (dir === "") return path;
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : void 0;
}

// src/commands/evaluation.ts
var RunCache = class {
  constructor(env) {
    this.env = env;
  }
  env;
  cache = /* @__PURE__ */ new Map();
  fault;
  get(state, v) {
    const key = `${state.label}\0${v.run}\0${v.artifact ?? ""}`;
    let p = this.cache.get(key);
    if (!p) {
      p = openRun(state, v, this.env);
      this.cache.set(key, p);
    }
    return p;
  }
  /**
   * `p`, noting an API outage it rejects with (retries exhausted: exit 3). A refusal, such as a
   * token that may not read teams, stays a failed check: the approval is not there.
   */
  async watchOutage(p) {
    try {
      return await p;
    } catch (err) {
      if (err instanceof EnvironmentError && err.outage === true) this.fault ??= err;
      throw err;
    }
  }
  /** `p`, noting an environment failure it rejects with. */
  async watch(p) {
    try {
      return await p;
    } catch (err) {
      if (err instanceof EnvironmentError) this.fault ??= err;
      throw err;
    }
  }
  /** Throws the first environment fault noted, if any: call after each evaluation. */
  throwFault() {
    if (this.fault) throw this.fault;
  }
};
async function openRun(state, v, env) {
  if (isS3Uri(v.run)) return withS3Signature(await openS3Run(v, env), env);
  const artifact = v.artifact === void 0 ? void 0 : isRemoteUri(v.artifact) ? v.artifact : normalizeRepoPath(v.artifact, "artifact");
  return withS3Signature(await readRun(state, normalizeRepoPath(v.run, "run"), artifact ? { artifact } : {}), env);
}
async function withS3Signature(rec, env) {
  if (rec.signature.state !== "unavailable" || rec.artifact === void 0 || !isS3Uri(rec.artifact)) return rec;
  const [{ S3FileSource, createS3Client }, { mlmodelSignature: mlmodelSignature2 }] = await Promise.all([import("./s3-QPSYRCOZ.js"), import("./mlmodel-MAASTLIT.js")]);
  const client = createS3Client(env);
  try {
    const found = await mlmodelSignature2(new S3FileSource(client, rec.artifact), "");
    rec.signature = found ?? { state: "unavailable", reason: `no MLmodel object at ${rec.artifact.replace(/\/+$/, "")}/MLmodel` };
  } finally {
    client.destroy();
  }
  return rec;
}
async function versionEvidence(state, v, env) {
  if (isS3Uri(v.run)) {
    const { source, ref, opts } = await s3Run(v, env);
    return runEvidence(source, ref, opts);
  }
  const artifact = v.artifact === void 0 ? void 0 : isRemoteUri(v.artifact) ? v.artifact : normalizeRepoPath(v.artifact, "artifact");
  return runEvidence(state, normalizeRepoPath(v.run, "run"), artifact ? { artifact } : {});
}
async function s3Run(v, env) {
  const { S3FileSource, createS3Client } = await import("./s3-QPSYRCOZ.js");
  const isRecord = v.run.endsWith(".json");
  const root = isRecord ? v.run.slice(0, v.run.lastIndexOf("/")) : v.run.replace(/\/+$/, "");
  const ref = isRecord ? v.run.slice(v.run.lastIndexOf("/") + 1) : "";
  const artifact = v.artifact !== void 0 && isRemoteUri(v.artifact) ? v.artifact : void 0;
  return { source: new S3FileSource(createS3Client(env), root), ref, opts: artifact ? { artifact } : {} };
}
async function openS3Run(v, env) {
  const { source, ref, opts } = await s3Run(v, env);
  const rec = await readRun(source, ref, opts);
  const found = rec.artifact === void 0 || isRemoteUri(rec.artifact) ? rec.artifact : source.describe(rec.artifact);
  rec.ref = v.run;
  if (found === void 0) delete rec.artifact;
  else rec.artifact = found;
  return rec;
}
async function artifactOf(deps, runs, t, subject, state) {
  if (!subject) throw new InputError(`version ${t.version} of ${t.model} is in neither state`);
  const uri = subject.artifact ?? (await runs.get(state, subject)).artifact;
  if (!uri) {
    throw new InputError(`no artifact location for ${t.model} v${t.version}`, {
      hint: "add `artifact:` to the version in the manifest"
    });
  }
  return checkArtifact(uri, subject.digest, { repoSource: state, env: deps.env, onProgress: deps.onProgress });
}
function versionAt(m, target) {
  if (!m) return void 0;
  if (target.startsWith("@")) {
    const n = m.manifest.aliases[target.slice(1)];
    return n === void 0 ? void 0 : m.manifest.versions.find((v) => v.version === n);
  }
  return m.manifest.versions.find((v) => v.stage === target);
}
function buildContext(deps, runs, transition, head, base) {
  const headVersion = head.manifest.versions.find((v) => v.version === transition.version);
  const baseVersion = base?.manifest.versions.find((v) => v.version === transition.version);
  const subject = baseVersion ?? headVersion;
  const subjectState = baseVersion ? deps.base : deps.head;
  const historyDeps = { root: deps.root, state: deps.base, layout: deps.layout };
  return {
    transition,
    head,
    base,
    policies: deps.policies,
    now: deps.now,
    run: async () => {
      if (!subject) throw new InputError(`version ${transition.version} of ${transition.model} is in neither state`);
      return runs.watch(runs.get(subjectState, subject));
    },
    baseline: async (target) => {
      const v = versionAt(base, target);
      return v ? { version: v, run: () => runs.watch(runs.get(deps.base, v)) } : void 0;
    },
    enteredStageAt: async () => {
      const stage = baseVersion?.stage;
      if (!stage) return void 0;
      return enteredStageAt(historyDeps, transition.model, transition.version, stage);
    },
    approvals: deps.approvals,
    resolveTeam: deps.resolveTeam ? (team) => runs.watchOutage(deps.resolveTeam(team)) : async (team) => {
      throw new InputError(`cannot resolve team ${team} outside GitHub`, {
        hint: "team approvals are resolved by the GitHub Action through the teams API"
      });
    },
    serverRun: (run) => runs.watch(import("./serverView-OBSNLS7F.js").then((m) => m.serverRunView(run, deps.env))),
    artifact: () => runs.watch(artifactOf(deps, runs, transition, subject, subjectState)),
    archivedAt: async (version) => {
      return enteredStageAt(historyDeps, transition.model, version, "Archived");
    }
  };
}

export {
  MAX_TAG_VALUE_CHARS,
  serverArtifacts,
  findBareRunId,
  scrubUrl,
  gitEnv,
  DISK_FULL,
  git,
  jsonSafeNumber,
  isTempFile,
  crashPoint,
  writeFileAtomic,
  readLines,
  parseRecordLine,
  appendRecords,
  sealRecord,
  compareWithManifest,
  readAuditState,
  RunCache,
  openRun,
  versionEvidence,
  buildContext
};
