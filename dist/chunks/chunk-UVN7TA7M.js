import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  STAGES
} from "./chunk-27FDAS2B.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-RTQ2UXCO.js";

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

// src/storage/atomic.ts
import { promises as fs, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";
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
async function appendFileAtomic(path, text) {
  let sizeBefore;
  await replaceVia(path, async (tmp) => {
    try {
      await fs.copyFile(path, tmp);
      sizeBefore = (await fs.stat(tmp)).size;
    } catch (err) {
      if (err.code !== "ENOENT") throw err;
    }
    await writeSynced(tmp, "a", text);
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
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}
async function replaceVia(path, fill) {
  const dir = dirname(path);
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
async function writeFileAtomicMkdir(path, data) {
  const dir = dirname(path);
  const created = await fs.mkdir(dir, { recursive: true });
  const w = await writeFileAtomic(path, data);
  if (created === void 0) return w;
  return {
    keep: () => w.keep(),
    undo: async () => {
      await w.undo();
      for (let d = dir; d.length >= created.length; d = dirname(d)) await fs.rmdir(d).catch(() => void 0);
    }
  };
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
function sha256Hex(text) {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
function serialize(value) {
  let text;
  try {
    text = canonicalize(value);
  } catch (err) {
    throw new Error(`cannot canonicalize JSON: ${err.message}`, { cause: err });
  }
  if (text === void 0) throw new Error("cannot canonicalize JSON: the value is undefined");
  return text;
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
  let text = bytes.toString("utf8");
  if (text.includes("\uFFFD") && !isUtf8(bytes)) throw new UnreadableLineError(file, lineNo, "is not valid UTF-8");
  if (text.endsWith("\r")) text = text.slice(0, -1);
  return text;
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
  const text = records.map((r) => serializeRecord(r) + "\n").join("");
  const separator = await endsWithoutNewline(absPath) ? "\n" : "";
  return appendFileAtomic(absPath, separator + text);
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

// src/audit/types.ts
var GENESIS_PREV = "sha256:" + "0".repeat(64);

// src/audit/chain.ts
function sealRecord(fields, prev) {
  const { hash: _stale, ...rest } = fields;
  const text = canonicalJson({ ...rest, seq: prev ? prev.seq + 1 : 1, prev: prev ? prev.hash : GENESIS_PREV });
  const body = JSON.parse(text);
  return { ...body, hash: "sha256:" + sha256Hex(text) };
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
  line(text, onRecord) {
    const n = ++this.lineNo;
    if (text.trim() === "") {
      this.blankLines.push(n);
      return;
    }
    for (const b of this.blankLines) this.problem({ line: b, message: `line ${b} is blank (audit logs have one record per line)` });
    this.blankLines = [];
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      this.problem({ line: n, message: `line ${n}: not valid JSON${looksTruncated(text) ? " (truncated?)" : ""}` });
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
    this.checkContent(r, text, n);
    this.checkOrder(r, n);
    onRecord(r);
  }
  checkContent(r, text, n) {
    if (r.model !== this.model) {
      this.problem({ seq: r.seq, line: n, message: `record ${r.seq} is for model '${r.model}', not '${this.model}' (copied from another log?)` });
    }
    if (sealedAsWritten(text, r)) return;
    let body;
    let canonical;
    try {
      const { hash: _hash, ...rest } = r;
      body = canonicalJson(rest);
      canonical = canonicalJson(r) === text;
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
function looksTruncated(text) {
  return text.startsWith("{") && !text.trimEnd().endsWith("}");
}

export {
  run_schema_default,
  jsonSafeNumber,
  isTempFile,
  crashPoint,
  writeFileAtomic,
  writeFileAtomicMkdir,
  readLines,
  parseRecordLine,
  appendRecords,
  sealRecord,
  verifyChainStream
};
