import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  git,
  readAuditState
} from "./chunk-IDTNSLQG.js";
import {
  MAX_DOCUMENT_BYTES,
  auditPath,
  loadManifest,
  manifestPath,
  parseJson,
  parseYaml,
  schemaErrors,
  typeName
} from "./chunk-VA634LOC.js";
import {
  byteOrder
} from "./chunk-CSPISB7H.js";
import {
  isS3Uri,
  normalizeRepoPath,
  parseS3Uri,
  printable
} from "./chunk-Q5SX3MZI.js";
import {
  EnvironmentError,
  InputError,
  InputErrors,
  NotFoundError,
  UnsafePathError,
  formatLocation
} from "./chunk-UI47FEJI.js";

// src/artifacts/digest.ts
import { createHash } from "node:crypto";

// src/runs/mapLimit.ts
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// src/artifacts/progress.ts
var QUIET_MS = 2e3;
var REDRAW_MS = 100;
var LOG_EVERY_MS = 5e3;
var CLEAR_LINE = "\r\x1B[2K";
var HashProgress = class {
  constructor(label, totalBytes, opts) {
    this.label = label;
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.started = this.now();
    this.total = totalBytes;
    this.lastShown = this.started;
  }
  label;
  opts;
  now;
  started;
  done = 0;
  total;
  lastShown;
  shown = false;
  drawn = false;
  /** Bytes hashed. */
  add(bytes) {
    this.done += bytes;
    this.maybeShow();
  }
  /** Bytes that need no hashing (S3 stored a full-object checksum): out of the total. */
  skip(bytes) {
    this.total = Math.max(0, this.total - bytes);
  }
  /** Clears the redrawn line; logs a summary if anything was shown and hashing completed. */
  finish(completed = true) {
    if (this.drawn) this.opts.tty?.write(CLEAR_LINE);
    if (this.shown && completed) {
      const secs = (this.now() - this.started) / 1e3;
      this.opts.onProgress?.(`hashed ${this.label} ${formatBytes(this.done)} in ${formatDuration(secs)} (${formatBytes(this.done / Math.max(secs, 1e-3))}/s)`);
    }
  }
  maybeShow() {
    const t = this.now();
    if (t - this.started < QUIET_MS) return;
    const every = this.opts.interactive ? REDRAW_MS : LOG_EVERY_MS;
    if (this.shown && t - this.lastShown < every) return;
    if (!this.shown && !this.opts.interactive && t - this.started < LOG_EVERY_MS) return;
    const line = progressLine(this.label, this.done, this.total, t - this.started);
    if (this.opts.interactive && this.opts.tty) {
      this.opts.tty.write(CLEAR_LINE + line);
      this.drawn = true;
    } else if (!this.opts.interactive && this.opts.onProgress) {
      this.opts.onProgress(line);
    } else {
      return;
    }
    this.shown = true;
    this.lastShown = t;
  }
};
function progressLine(label, done, total, elapsedMs) {
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1e3) : 0;
  const eta = rate > 0 && total > done ? ` \xB7 ETA ${formatDuration((total - done) / rate)}` : "";
  return `hashing ${label} ${formatBytes(done)} / ${formatBytes(total)} \xB7 ${formatBytes(rate)}/s${eta}`;
}
var UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];
function formatBytes(n) {
  let v = Math.max(0, n);
  let i = 0;
  while (v >= 1e3 && i < UNITS.length - 1) {
    v /= 1e3;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  let text2 = v.toFixed(digits);
  if (Number(text2) >= 1e3 && i < UNITS.length - 1) {
    v /= 1e3;
    i++;
    text2 = v.toFixed(1);
  }
  return `${text2.replace(/\.0$/, "")} ${UNITS[i]}`;
}
function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}m`;
}

// src/artifacts/digest.ts
var HASH_CONCURRENCY = 4;
async function digestArtifact(uri, o) {
  if (isS3Uri(uri)) return s3Digest(uri, o);
  const tree = await localTree(o.repoSource, normalizeRepoPath(uri, "artifact"));
  return digestTree(tree, uri, o);
}
async function s3Digest(uri, o) {
  const { bucket, key } = parseS3Uri(uri);
  const s3 = await import("./s3-XL6KXXQK.js");
  const client = s3.createS3Client(o.env);
  try {
    return await digestTree(await s3Tree(s3, client, bucket, key), uri, o);
  } finally {
    client.destroy();
  }
}
async function s3Tree(s3, client, bucket, key) {
  if (key !== "" && !key.endsWith("/")) {
    const head = await s3.headObject(client, bucket, key);
    if (head) return { kind: "file", file: s3File(s3, client, bucket, key, key.split("/").pop(), head.size, head.sha256 ?? false) };
  }
  const prefix = key === "" || key.endsWith("/") ? key : `${key}/`;
  const files = [];
  for await (const obj of s3.listObjects(client, bucket, prefix)) {
    const rel = obj.Key.slice(prefix.length);
    const size = obj.Size ?? 0;
    if (rel === "" || rel.endsWith("/") && size === 0) continue;
    files.push(s3File(s3, client, bucket, obj.Key, rel, size, s3.mayHaveFullSha256(obj) ? void 0 : false));
  }
  return files.length > 0 ? { kind: "dir", files } : { kind: "missing" };
}
function s3File(s3, client, bucket, key, path, size, stored) {
  return {
    path,
    size,
    async sha256(progress) {
      const known = stored === void 0 ? (await s3.headObject(client, bucket, key))?.sha256 : stored || void 0;
      if (known !== void 0) {
        progress.skip(size);
        return known;
      }
      return sha256OfStream(await s3.openObject(client, bucket, key), (n) => progress.add(n));
    }
  };
}
async function digestTree(tree, label, o) {
  if (tree.kind === "missing") return { exists: false, files: 0, bytes: 0 };
  const files = tree.kind === "file" ? [tree.file] : tree.files;
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const interactive = o.interactive ?? (o.onProgress !== void 0 && process.stderr.isTTY === true);
  const progress = new HashProgress(label, bytes, { interactive, onProgress: o.onProgress, tty: process.stderr });
  let failed = false;
  try {
    const hashes = await mapLimit(files, HASH_CONCURRENCY, async (f) => {
      if (failed) return "";
      try {
        return await f.sha256(progress);
      } catch (err) {
        failed = true;
        throw err;
      }
    });
    const digest = tree.kind === "file" ? `sha256:${hashes[0]}` : directoryDigest(files.map((f, i) => ({ path: f.path, sha256: hashes[i] })));
    return { exists: true, digest, files: files.length, bytes };
  } finally {
    progress.finish(!failed);
  }
}
function directoryDigest(entries) {
  return `sha256:${createHash("sha256").update(sha256sumListing(entries), "utf8").digest("hex")}`;
}
function sha256sumListing(entries) {
  return [...entries].sort((a, b) => byteOrder(a.path, b.path)).map((e) => `${e.sha256}  ${e.path}
`).join("");
}
async function sha256OfStream(stream, onBytes = () => void 0) {
  const h = createHash("sha256");
  for await (const chunk of stream) {
    h.update(chunk);
    onBytes(chunk.length);
  }
  return h.digest("hex");
}
async function localTree(source, root) {
  const st = await source.stat(root);
  if (!st) return { kind: "missing" };
  const fileOf = (path, rel, size) => ({
    path: rel,
    size,
    sha256: async (progress) => sha256OfStream(await source.openStream(path), (n) => progress.add(n))
  });
  if (st.type === "file") return { kind: "file", file: fileOf(root, root.split("/").pop(), st.size) };
  const files = [];
  const walk = async (dir, rel) => {
    for (const name of await source.list(dir) ?? []) {
      if (name === ".git") continue;
      const path = `${dir}/${name}`;
      const relPath = rel === "" ? name : `${rel}/${name}`;
      const child = await source.stat(path);
      if (!child) continue;
      if (child.type === "dir") await walk(path, relPath);
      else files.push(fileOf(path, relPath, child.size));
    }
  };
  await walk(root, "");
  return { kind: "dir", files };
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

// src/runs/sourceText.ts
var utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
async function readSourceText(source, path, knownSize) {
  let size = knownSize;
  if (size === void 0) {
    const st = await source.stat(path);
    if (!st) return void 0;
    if (st.type !== "file") {
      throw new InputError("is a directory, not a file", { location: { file: source.describe(path) }, hint: "name a file here" });
    }
    size = st.size;
  }
  if (size > MAX_DOCUMENT_BYTES) throw tooLarge(source, path);
  const bytes = await source.readBytes(path);
  if (bytes === void 0) return void 0;
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) throw tooLarge(source, path);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError("file is not valid UTF-8 text", {
      location: { file: source.describe(path) },
      hint: "run metadata files are UTF-8 text; check that this is the file you meant"
    });
  }
}
function tooLarge(source, path) {
  return new InputError(`file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`, {
    location: { file: source.describe(path) },
    hint: "modelgate refuses oversized metadata files; check that this is the file you meant"
  });
}
function childPath(dir, ...names) {
  return [dir, ...names].filter((p) => p !== "").join("/");
}
function parentPath(path) {
  if (path === "") return void 0;
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}
function baseName(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}

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
async function readKeyedTexts(source, dir) {
  const files = await listKeyedFiles(source, dir) ?? [];
  const texts2 = await mapLimit(files, READ_CONCURRENCY, (f) => readSourceText(source, f.path, f.size));
  const out = {};
  files.forEach((f, i) => {
    const t = texts2[i];
    if (t !== void 0) setOwn(out, f.key, t);
  });
  return out;
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

// src/runs/signature.ts
var SignatureError = class extends Error {
};
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function fail(where, what) {
  throw new SignatureError(`${where}: ${what}`);
}
function parseMlflowSignature(raw) {
  return parseParts(raw, true);
}
function parseSignature(raw) {
  return parseParts(raw, false);
}
function signatureState(source, parse) {
  try {
    return { state: "found", signature: parse(), source };
  } catch (err) {
    if (err instanceof SignatureError) return { state: "invalid", source, error: err.message };
    throw err;
  }
}
function parseParts(raw, encoded) {
  if (!isObject(raw)) fail("signature", "must be a mapping with inputs and outputs");
  return {
    inputs: schemaPart(raw.inputs, "inputs", encoded, parseSchema),
    outputs: schemaPart(raw.outputs, "outputs", encoded, parseSchema),
    params: schemaPart(raw.params, "params", encoded, parseParams)
  };
}
function schemaPart(value, where, encoded, parse) {
  if (value === void 0 || value === null) return null;
  let decoded = value;
  if (typeof value === "string" && encoded) {
    try {
      decoded = JSON.parse(value);
    } catch (err) {
      fail(where, `is not valid JSON (${err.message})`);
    }
    if (decoded === null) return null;
  }
  if (!Array.isArray(decoded)) fail(where, encoded ? "must be a JSON list of column or tensor specs" : "must be a list of column or tensor specs");
  return parse(decoded, where);
}
function parseSchema(list, where) {
  const specs = list.map((item, i) => parseSpec(item, `${where}[${i}]`));
  const kinds = new Set(specs.map((s) => s.kind));
  if (kinds.size > 1) fail(where, "mixes column specs and tensor specs");
  const named = new Set(specs.map((s) => s.name !== void 0));
  if (named.size > 1) fail(where, "mixes named and unnamed specs");
  return specs;
}
function parseSpec(raw, where) {
  if (!isObject(raw)) fail(where, "must be an object with a type");
  const name = raw.name;
  if (name !== void 0 && name !== null && typeof name !== "string") fail(`${where}.name`, "must be a string or null");
  const named = typeof name === "string" ? { name } : {};
  if (raw.type === "tensor") return { kind: "tensor", ...named, ...parseTensor(raw["tensor-spec"], `${where}.tensor-spec`) };
  return { kind: "column", ...named, type: parseType(raw, where), required: parseRequired(raw, where) };
}
function parseTensor(raw, where) {
  if (!isObject(raw)) fail(where, "must be an object with dtype and shape");
  const { dtype, shape } = raw;
  if (typeof dtype !== "string" || dtype === "") fail(`${where}.dtype`, "must be a numpy dtype name");
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    fail(`${where}.shape`, "must be a list of integers (-1 for a variable dimension)");
  }
  return { dtype, shape };
}
function parseRequired(raw, where) {
  if (raw.required !== void 0) {
    if (typeof raw.required !== "boolean") fail(`${where}.required`, "must be true or false");
    return raw.required;
  }
  if (raw.optional !== void 0) {
    if (typeof raw.optional !== "boolean") fail(`${where}.optional`, "must be true or false");
    return !raw.optional;
  }
  return true;
}
function parseType(node, where) {
  const t = node.type;
  if (t === "array") {
    const items = node.items;
    if (typeof items === "string" && items !== "") return { type: "array", items };
    if (!isObject(items)) fail(`${where}.items`, "must describe the element type");
    return { type: "array", items: parseType(items, `${where}.items`) };
  }
  if (t === "object") {
    const props = node.properties;
    if (!isObject(props)) fail(`${where}.properties`, "must map field names to their types");
    const properties = {};
    for (const [field, spec] of Object.entries(props)) {
      const at = `${where}.properties.${field}`;
      if (!isObject(spec)) fail(at, "must be an object with a type");
      properties[field] = { type: parseType(spec, at), required: parseRequired(spec, at) };
    }
    return { type: "object", properties };
  }
  if (t === "map") {
    const values = node.values;
    if (typeof values === "string" && values !== "") return { type: "map", values };
    if (!isObject(values)) fail(`${where}.values`, "must describe the value type");
    return { type: "map", values: parseType(values, `${where}.values`) };
  }
  if (typeof t === "string" && t !== "") return t;
  fail(`${where}.type`, t === void 0 ? "is missing" : "must be a type name");
}
function parseParams(list, where) {
  return list.map((raw, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(raw)) fail(at, "must be an object with name and type");
    if (typeof raw.name !== "string" || raw.name === "") fail(`${at}.name`, "must be a non-empty string");
    if (typeof raw.type !== "string" || raw.type === "") fail(`${at}.type`, "must be a type name");
    const shape = raw.shape;
    if (shape !== void 0 && shape !== null && !(Array.isArray(shape) && shape.every((d) => Number.isInteger(d)))) {
      fail(`${at}.shape`, "must be null or a list of integers");
    }
    const spec = { name: raw.name, type: raw.type };
    if ("default" in raw) spec.default = raw.default;
    if (shape !== void 0) spec.shape = shape;
    return spec;
  });
}

// src/runs/mlflow/mlmodel.ts
async function hasMlmodel(source, dir) {
  return await source.stat(childPath(dir, "MLmodel")) !== void 0;
}
async function mlmodelSignature(source, dir) {
  const path = childPath(dir, "MLmodel");
  const file = source.describe(path);
  let value;
  try {
    const text2 = await readSourceText(source, path);
    if (text2 === void 0) return void 0;
    value = parseYaml(text2, file).value;
  } catch (err) {
    if (err instanceof InputError || err instanceof InputErrors) return { state: "invalid", source: file, error: describeError(err) };
    throw err;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { state: "invalid", source: file, error: "MLmodel is not a YAML mapping" };
  }
  const signature2 = value.signature;
  if (signature2 === void 0 || signature2 === null) return { state: "absent", source: file };
  return signatureState(file, () => parseMlflowSignature(signature2));
}
function describeError(err) {
  const first = err instanceof InputErrors ? err.errors[0] : err;
  if (!first) return err.message;
  return first.location ? `${formatLocation(first.location)}: ${first.message}` : first.message;
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
  let dir = await modelUnder(q.source, runArtifacts, artifactPath, notes);
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
  if (isS3Uri(artifact)) {
    return {
      artifact,
      signature: fallback ?? { state: "unavailable", reason: `the model is in S3 (${artifact}); signatures are read from MLmodel files in the repository` }
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
  const last = list[list.length - 1];
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
    readKeyedTexts(source, childPath(ref, "params")),
    readKeyedTexts(source, childPath(ref, "tags")),
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
      description: "Where the model is: a repository path or an s3:// URI."
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
    return normalizeRepoPath(a, "artifact");
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const Located = err instanceof UnsafePathError ? UnsafePathError : InputError;
    throw new Located(err.message, { location: doc.locate(["artifact"]), hint: err.hint ?? "write a repository path or s3://bucket/prefix" });
  }
}
async function signature(source, rec, file, artifact) {
  if (rec.signature !== void 0) return signatureState(`${file} (signature)`, () => parseSignature(rec.signature));
  if (artifact !== void 0 && !isS3Uri(artifact)) {
    const fromModel = await overrideModel(source, artifact);
    if (fromModel.signature.state !== "unavailable") return fromModel.signature;
  }
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
  if (await source.stat(childPath(ref, "meta.yaml")) !== void 0) return readMlflowRun(source, ref, opts);
  if (await isWandbRun(source, ref)) return readWandbRun(source, ref, opts);
  const where = source.describe(ref);
  throw new NotFoundError(`run ${where} not found: no meta.yaml, W&B files/ or .json record at that path`, {
    location: { file: where },
    hint: "point run: at an MLflow run directory (mlruns/<experiment>/<run_id>), a W&B run directory (wandb/run-<date>-<id>) or a portable .json run record"
  });
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
    const landed = await landedAt(deps, auditPath(deps.layout, model), entry.seq);
    return landed && landed > recorded ? landed : recorded;
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
  if (isS3Uri(v.run)) return openS3Run(v, env);
  const artifact = v.artifact === void 0 ? void 0 : isS3Uri(v.artifact) ? v.artifact : normalizeRepoPath(v.artifact, "artifact");
  return readRun(state, normalizeRepoPath(v.run, "run"), artifact ? { artifact } : {});
}
async function openS3Run(v, env) {
  const { S3FileSource, createS3Client } = await import("./s3-XL6KXXQK.js");
  const isRecord = v.run.endsWith(".json");
  const root = isRecord ? v.run.slice(0, v.run.lastIndexOf("/")) : v.run.replace(/\/+$/, "");
  const ref = isRecord ? v.run.slice(v.run.lastIndexOf("/") + 1) : "";
  const source = new S3FileSource(createS3Client(env), root);
  const artifact = v.artifact !== void 0 && isS3Uri(v.artifact) ? v.artifact : void 0;
  const rec = await readRun(source, ref, artifact ? { artifact } : {});
  const found = rec.artifact === void 0 || isS3Uri(rec.artifact) ? rec.artifact : source.describe(rec.artifact);
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
    artifact: () => runs.watch(artifactOf(deps, runs, transition, subject, subjectState)),
    archivedAt: async (version) => {
      return enteredStageAt(historyDeps, transition.model, version, "Archived");
    }
  };
}

export {
  digestArtifact,
  RunCache,
  openRun,
  buildContext
};
