import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  git
} from "./chunk-SO4SZRZT.js";
import {
  readLines,
  run_schema_default,
  verifyChainStream
} from "./chunk-UVN7TA7M.js";
import {
  digestArtifact,
  directoryDigest,
  localTree,
  mapLimit,
  sha256OfStream
} from "./chunk-AKFKUSU4.js";
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
} from "./chunk-27FDAS2B.js";
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
  UnsafePathError,
  formatLocation
} from "./chunk-RTQ2UXCO.js";

// src/runs/setOwn.ts
function setOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

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
    const shown2 = text2.length > 120 ? text2.slice(0, 120) + "\u2026" : text2;
    throw new InputError(`line ${this.line} ${why}: '${printable(shown2)}'`, {
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

// src/runs/limits.ts
var MAX_TAG_VALUE_CHARS = 8e3;
var MAX_PARAM_VALUE_CHARS = 6e3;
var MAX_RUN_DIR_ENTRIES = 1e4;
var MAX_RUN_KEYS = MAX_RUN_DIR_ENTRIES;
var MAX_HISTORY_POINTS = 1e5;
var MAX_KEYED_BYTES_PER_RUN = 16 * 1024 * 1024;

// src/runs/mlflow/keyedFiles.ts
var READ_CONCURRENCY = 16;
var MAX_KEY_DEPTH = 64;
async function listKeyedFiles(source, dir) {
  const top = await source.list(dir, MAX_RUN_DIR_ENTRIES);
  if (top === void 0) return void 0;
  const out = [];
  const walk = async (path, prefix, names, depth) => {
    if (depth > MAX_KEY_DEPTH) {
      throw new InputError(`directory nesting is deeper than ${MAX_KEY_DEPTH} levels`, { location: { file: source.describe(path) } });
    }
    if (names.length > MAX_RUN_DIR_ENTRIES || out.length + names.length > MAX_RUN_DIR_ENTRIES) {
      throw new InputError(`${source.describe(dir)} holds more than ${MAX_RUN_DIR_ENTRIES.toLocaleString("en-US")} entries (at least ${(out.length + names.length).toLocaleString("en-US")} at ${source.describe(path)})`, {
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
      else if (e.stat?.type === "dir") await walk(e.path, key, await source.list(e.path, MAX_RUN_DIR_ENTRIES - out.length) ?? [], depth + 1);
    }
  };
  await walk(dir, "", top, 0);
  return out;
}
var KeyedDir = class {
  constructor(source, dir, readValue, admit = () => void 0) {
    this.source = source;
    this.dir = dir;
    this.readValue = readValue;
    this.admit = admit;
  }
  source;
  dir;
  readValue;
  admit;
  listing;
  dirKeys;
  read = /* @__PURE__ */ new Map();
  async get(key) {
    const files = await this.files();
    const file = files.get(key);
    if (file !== void 0) return this.value(file);
    if ((this.dirKeys ??= directoriesOf(files.keys())).has(key)) {
      throw new InputError("is a directory, not a file", { location: { file: this.source.describe(childPath(this.dir, key)) }, hint: `MLflow writes one file per key in ${this.source.describe(this.dir)}` });
    }
    return void 0;
  }
  async keys() {
    return [...(await this.files()).keys()];
  }
  async all() {
    const files = [...(await this.files()).values()];
    const values = await mapLimit(files, READ_CONCURRENCY, (f) => this.value(f));
    const out = {};
    files.forEach((f, i) => {
      const v = values[i];
      if (v !== void 0) setOwn(out, f.key, v);
    });
    return out;
  }
  /** The file a key's value is in (metric histories stream it); undefined for an unknown key. */
  async path(key) {
    return (await this.files()).get(key)?.path;
  }
  files() {
    this.listing ??= (async () => {
      const files = await listKeyedFiles(this.source, this.dir) ?? [];
      this.admit(files);
      return new Map(files.map((f) => [f.key, f]));
    })();
    return this.listing;
  }
  value(file) {
    let p = this.read.get(file.key);
    if (!p) {
      p = this.readValue(file);
      this.read.set(file.key, p);
    }
    return p;
  }
};
function directoriesOf(keys) {
  const out = /* @__PURE__ */ new Set();
  for (const key of keys) for (let i = key.indexOf("/"); i !== -1; i = key.indexOf("/", i + 1)) out.add(key.slice(0, i));
  return out;
}
function keyedTexts(source, dir, maxChars2, what) {
  const admit = (files) => {
    let total = 0;
    for (const f of files) {
      if (f.size > maxChars2 * 4) throw tooLong(source, f.path, what, maxChars2, `${f.size.toLocaleString("en-US")} bytes`);
      total += f.size;
    }
    if (total > MAX_KEYED_BYTES_PER_RUN) {
      throw new InputError(`the ${what}s under ${source.describe(dir)} are ${total.toLocaleString("en-US")} bytes together, more than the ${MAX_KEYED_BYTES_PER_RUN / 1024 / 1024} MiB modelgate reads per run`, {
        location: { file: source.describe(dir) },
        hint: "run metadata should be small; keep bulk data in artifacts"
      });
    }
  };
  const read = async (f) => {
    const t = await readSourceText(source, f.path, f.size);
    if (t !== void 0 && t.length > maxChars2 && [...t].length > maxChars2) throw tooLong(source, f.path, what, maxChars2, `${[...t].length.toLocaleString("en-US")} characters`);
    return t;
  };
  return new KeyedDir(source, dir, read, admit);
}
function tooLong(source, path, what, maxChars2, actual) {
  return new InputError(`${what} value is ${actual}, longer than MLflow's ${maxChars2.toLocaleString("en-US")}-character limit`, {
    location: { file: source.describe(path) },
    hint: `MLflow refuses ${what} values over ${maxChars2.toLocaleString("en-US")} characters; this file did not come from MLflow as it is`
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
  const raw = q.historyTag;
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
  const names = await source.list(root, MAX_RUN_DIR_ENTRIES) ?? [];
  if (names.length > MAX_RUN_DIR_ENTRIES) {
    notes.push(`${source.describe(root)} holds more than ${MAX_RUN_DIR_ENTRIES.toLocaleString("en-US")} entries, too many to search for a model`);
    return void 0;
  }
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
  const params = keyedTexts(source, childPath(ref, "params"), MAX_PARAM_VALUE_CHARS, "param");
  const tags = keyedTexts(source, childPath(ref, "tags"), MAX_TAG_VALUE_CHARS, "tag");
  const metrics = latestMetrics(source, childPath(ref, "metrics"));
  const [historyTag, runName] = await Promise.all([tags.get(LOG_MODEL_HISTORY_TAG), tags.get("mlflow.runName")]);
  const model = await locateMlflowModel({ source, ref, historyTag, artifactUri: meta.artifactUri, ...opts.artifact !== void 0 ? { artifact: opts.artifact } : {} });
  const runId2 = meta.runId ?? (ref === "" ? void 0 : baseName(ref));
  if (runId2 === void 0) {
    throw new InputError("run meta.yaml has no run_id or run_uuid", { location: { file: source.describe(metaPath) }, hint: "MLflow writes run_id; check that this is an MLflow run directory" });
  }
  const name = meta.name ?? nonEmpty(runName);
  const record = {
    format: "mlflow",
    ref,
    runId: runId2,
    status: meta.status,
    params,
    metrics,
    tags,
    signature: model.signature,
    history: (metric) => history(source, metrics, metric)
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
function latestMetrics(source, dir) {
  return new KeyedDir(source, dir, async (f) => (await latestMetricPoint(await source.openStream(f.path), source.describe(f.path)))?.value);
}
async function* history(source, metrics, metric) {
  const path = await metrics.path(metric);
  if (path === void 0) return;
  yield* metricPoints(await source.openStream(path), source.describe(path));
}

// src/runs/valueLimits.ts
var fmt = (n) => n.toLocaleString("en-US");
function shown(key) {
  return key.length > 80 ? `${key.slice(0, 77)}...` : key;
}
function refuseKeyCount(kind, count, where) {
  if (count <= MAX_RUN_KEYS) return;
  throw new InputError(`the run has ${fmt(count)} ${kind}s, more than the ${fmt(MAX_RUN_KEYS)} modelgate reads per run`, {
    location: where(),
    hint: `an MLflow run directory may list at most ${fmt(MAX_RUN_KEYS)} ${kind}s here; log fewer keys, or keep bulk data in artifacts`
  });
}
function maxChars(kind) {
  return kind === "param" ? MAX_PARAM_VALUE_CHARS : MAX_TAG_VALUE_CHARS;
}
function refuseLongValue(kind, key, value, where) {
  const max = maxChars(kind);
  if (value.length <= max) return;
  const chars = [...value].length;
  if (chars <= max) return;
  throw new InputError(`${kind} ${shown(key)} is ${chars} characters, longer than MLflow's ${fmt(max)}-character limit for a ${kind} value, in ${formatLocation(where())}`, {
    hint: `MLflow refuses ${kind} values over ${fmt(max)} characters; this value did not come from MLflow as it is`
  });
}

// src/runs/values.ts
function memoryValues(values, limits2) {
  const keys = Object.keys(values);
  const admit = () => {
    if (!limits2) return;
    if (limits2.refusal) throw limits2.refusal;
    refuseKeyCount(limits2.kind, keys.length, () => limits2.where());
  };
  const checked = (key, value) => {
    if (limits2 && limits2.kind !== "metric" && typeof value === "string") refuseLongValue(limits2.kind, key, value, () => limits2.where(key));
    return value;
  };
  return {
    get: async (key) => {
      admit();
      return Object.hasOwn(values, key) ? checked(key, values[key]) : void 0;
    },
    keys: async () => {
      admit();
      return [...keys];
    },
    all: async () => {
      admit();
      const out = {};
      for (const k of keys) setOwn(out, k, checked(k, values[k]));
      return out;
    }
  };
}
async function plainRun(run) {
  const [params, metrics, tags] = await Promise.all([run.params.all(), run.metrics.all(), run.tags.all()]);
  return { ...run, params, metrics, tags };
}

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
  const historyRefused = historyRefusal(rec, doc);
  const histories = /* @__PURE__ */ new Map();
  for (const [key, points] of historyRefused ? [] : Object.entries(rec.metric_history ?? {})) {
    histories.set(key, points.map((p) => ({ step: p.step, timestamp: p.timestamp, value: metricNumber(p.value) })));
  }
  const artifact = opts.artifact ?? recordArtifact(rec, doc);
  const record = {
    format: "json",
    ref,
    runId: rec.run_id,
    params: memoryValues(texts(rec.params), limits("param", doc)),
    metrics: memoryValues(latestMetrics2(rec.metrics ?? {}, histories), limits("metric", doc, historyRefused)),
    tags: memoryValues(texts(rec.tags), limits("tag", doc)),
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
function limits(kind, doc, refusal) {
  return { kind, where: () => ({ file: doc.file }), ...refusal ? { refusal } : {} };
}
function historyRefusal(rec, doc) {
  let points = 0;
  for (const list of Object.values(rec.metric_history ?? {})) points += list.length;
  if (points <= MAX_HISTORY_POINTS) return void 0;
  return new InputError(`metric_history holds ${points.toLocaleString("en-US")} points, more than the ${MAX_HISTORY_POINTS.toLocaleString("en-US")} modelgate reads from one record`, {
    location: { file: doc.file },
    hint: 'export the latest value of each metric in "metrics" and keep long histories out of the run record'
  });
}
function metricNumber(v) {
  return typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity;
}
function texts(values) {
  const out = {};
  for (const [k, v] of Object.entries(values ?? {})) setOwn(out, k, typeof v === "string" ? v : JSON.stringify(v));
  return out;
}
function latestMetrics2(given, histories) {
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
  const into = { out: params, paths: /* @__PURE__ */ new Map() };
  const result = { params, where: (key) => doc.locate((key === void 0 ? void 0 : into.paths.get(key)) ?? []) };
  if (root === null || root === void 0) return result;
  if (!isMapping(root)) {
    throw new InputError(`W&B config.yaml must be a mapping of config keys, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  for (const [key, entry] of Object.entries(root)) {
    if (INTERNAL_KEYS.has(key)) continue;
    const wrapped = isMapping(entry) && "value" in entry;
    flatten(into, key, wrapped ? entry.value : entry, wrapped ? [key, "value"] : [key]);
  }
  return result;
}
function flatten(into, key, value, path) {
  if (isMapping(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(into, `${key}.${k}`, v, [...path, k]);
    return;
  }
  setOwn(into.out, key, paramText(value));
  into.paths.set(key, path);
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
  const configured = config === void 0 ? void 0 : configParams(parseYaml(config, source.describe(paths.config)));
  const metrics = summary === void 0 ? {} : summaryMetrics(parseSummary(summary, source.describe(paths.summary)));
  const meta = metadata === void 0 ? { tags: {}, startTime: void 0 } : interpretMetadata(parseJson(metadata, source.describe(paths.metadata)));
  const inFile = (path) => () => ({ file: source.describe(path) });
  const model = opts.artifact !== void 0 ? await overrideModel(source, opts.artifact) : void 0;
  const noSignature = {
    state: "unavailable",
    reason: "W&B runs record no model signature; set artifact: to an MLflow model directory, or use a portable run record with a signature"
  };
  const record = {
    format: "wandb",
    ref,
    runId: await runId(source, ref),
    params: memoryValues(configured?.params ?? {}, { kind: "param", where: configured?.where ?? inFile(paths.config) }),
    metrics: memoryValues(metrics, { kind: "metric", where: inFile(paths.summary) }),
    tags: memoryValues(meta.tags, { kind: "tag", where: inFile(paths.metadata) }),
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

// src/repo/history.ts
async function commitsTouching(root, paths, o = {}) {
  if (o.since !== void 0) {
    const ok = await git(["rev-parse", "--verify", "--quiet", `${o.since}^{commit}`], { cwd: root, allowFail: true });
    if (ok.code !== 0) throw new InputError(`unknown revision '${o.since}'`, { hint: "pass a commit, branch or tag that exists here (git fetch it first in a shallow clone)" });
  }
  const from = o.from ?? "HEAD";
  const range = o.since !== void 0 ? `${o.since}..${from}` : from;
  const r = await git(["log", "--first-parent", ...o.newestFirst ? [] : ["--reverse"], "--format=%H%x00%P%x00%cI%x00%s", range, "--", ...paths], { cwd: root, allowFail: !o.strict });
  if (r.code !== 0) return [];
  return r.stdout.split("\n").filter(Boolean).map((line) => {
    const [sha, parents, time2, subject] = line.split("\0");
    return { sha, parent: parents.split(" ").filter(Boolean)[0], time: new Date(time2), subject };
  });
}
async function firstParentLine(root, from = "HEAD") {
  const r = await git(["rev-list", "--first-parent", from], { cwd: root });
  return r.stdout.split("\n").filter(Boolean);
}
async function changesTouching(root, dirs) {
  const r = await git(["log", "--first-parent", "--reverse", "--name-only", "--no-renames", "-z", "--format=%x01%H", "HEAD", "--", ...dirs], { cwd: root, allowFail: true });
  if (r.code !== 0) return [];
  const out = [];
  for (const block of r.stdout.split("").filter(Boolean)) {
    const [head = "", ...rest] = block.split("\0");
    const [sha = "", first = ""] = head.split("\n");
    out.push({ sha, files: new Set([first, ...rest].map((f) => f.replace(/^\n/, "")).filter(Boolean)) });
  }
  return out;
}
async function manifestAt(root, rev, file) {
  const shown2 = await git(["show", `${rev}:${file}`], { cwd: root, allowFail: true });
  if (shown2.code !== 0) return { kind: "absent" };
  try {
    return { kind: "manifest", manifest: loadManifest(shown2.stdout, file, { singleProduction: false }).manifest };
  } catch {
    return { kind: "unreadable" };
  }
}
async function* manifestHistory(root, file, o = {}) {
  for (const commit of await commitsTouching(root, [file], o)) yield { commit, then: await manifestAt(root, commit.sha, file) };
}
async function lineLandedAt(root, commit, file, line) {
  const r = await git(["blame", "--first-parent", "--porcelain", "-L", `${line},${line}`, commit, "--", file], { cwd: root, allowFail: true });
  const m = /^committer-time (\d+)$/m.exec(r.stdout);
  return r.code === 0 && m ? new Date(Number(m[1]) * 1e3) : void 0;
}

// src/audit/replay.ts
var STAGE_SET = new Set(STAGES);
function pushWithDisplaced(history2, r) {
  if (r.displaced !== void 0 && r.displaced !== r.version && history2[history2.length - 1] !== r.displaced) history2.push(r.displaced);
  history2.push(r.version);
}
function isStage(to) {
  return STAGE_SET.has(to);
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

// src/policy/context.ts
var LoaderFault = class extends Error {
  constructor(fault) {
    super(fault.message);
    this.fault = fault;
  }
  fault;
};

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
    const landed = await landedAt(deps, auditPath(deps.layout, model), entry.seq);
    return landed && landed > recorded ? landed : recorded;
  }
  return enteredStageFromGit(deps, model, version, stage);
}
async function landedAt(deps, file, seq) {
  if (deps.state.commit === void 0) return void 0;
  return lineLandedAt(deps.root, deps.state.commit, file, seq);
}
async function enteredStageFromGit(deps, model, version, stage) {
  let entered;
  for await (const { commit, then } of manifestHistory(deps.root, manifestPath(deps.layout, model), { from: deps.state.commit ?? "HEAD", newestFirst: true })) {
    if (then.kind !== "manifest" || then.manifest.versions.find((v) => v.version === version)?.stage !== stage) break;
    entered = commit.time;
  }
  return entered;
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
  get(state, v) {
    const key = `${state.label}\0${v.run}\0${v.artifact ?? ""}`;
    let p = this.cache.get(key);
    if (!p) {
      p = openRun(state, v, this.env);
      this.cache.set(key, p);
    }
    return p;
  }
};
async function faulting(p) {
  try {
    return await p;
  } catch (err) {
    throw err instanceof EnvironmentError ? new LoaderFault(err) : err;
  }
}
async function outageFaulting(p) {
  try {
    return await p;
  } catch (err) {
    throw err instanceof EnvironmentError && err.outage === true ? new LoaderFault(err) : err;
  }
}
async function openRun(state, v, env) {
  if (isS3Uri(v.run)) return withS3Signature(await openS3Run(v, env), env);
  const artifact = v.artifact === void 0 ? void 0 : isRemoteUri(v.artifact) ? v.artifact : normalizeRepoPath(v.artifact, "artifact");
  return withS3Signature(await readRun(state, normalizeRepoPath(v.run, "run"), artifact ? { artifact } : {}), env);
}
async function withS3Signature(rec, env) {
  if (rec.signature.state !== "unavailable" || rec.artifact === void 0 || !isS3Uri(rec.artifact)) return rec;
  const [{ S3FileSource, createS3Client }, { mlmodelSignature: mlmodelSignature2 }] = await Promise.all([import("./s3-K5STBPOH.js"), import("./mlmodel-MAASTLIT.js")]);
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
  const { S3FileSource, createS3Client } = await import("./s3-K5STBPOH.js");
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
      return faulting(runs.get(subjectState, subject));
    },
    baseline: async (target) => {
      const v = versionAt(base, target);
      return v ? { version: v, run: () => faulting(runs.get(deps.base, v)) } : void 0;
    },
    enteredStageAt: async () => {
      const stage = baseVersion?.stage;
      if (!stage) return void 0;
      return enteredStageAt(historyDeps, transition.model, transition.version, stage);
    },
    approvals: deps.approvals,
    resolveTeam: deps.resolveTeam ? (team) => outageFaulting(deps.resolveTeam(team)) : async (team) => {
      throw new InputError(`cannot resolve team ${team} outside GitHub`, {
        hint: "team approvals are resolved by the GitHub Action through the teams API"
      });
    },
    serverRun: (run) => faulting(import("./serverView-KTGSWANB.js").then((m) => m.serverRunView(run, deps.env))),
    artifact: () => faulting(artifactOf(deps, runs, transition, subject, subjectState)),
    archivedAt: async (version) => {
      return enteredStageAt(historyDeps, transition.model, version, "Archived");
    }
  };
}

export {
  setOwn,
  LoaderFault,
  MAX_TAG_VALUE_CHARS,
  serverArtifacts,
  plainRun,
  findBareRunId,
  commitsTouching,
  firstParentLine,
  changesTouching,
  manifestAt,
  manifestHistory,
  compareWithManifest,
  readAuditState,
  RunCache,
  openRun,
  versionEvidence,
  buildContext
};
