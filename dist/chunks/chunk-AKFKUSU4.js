import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  byteOrder,
  isS3Uri,
  normalizeRepoPath,
  parseS3Uri
} from "./chunk-JOPA73JY.js";
import {
  InputError
} from "./chunk-RTQ2UXCO.js";

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
  let text = v.toFixed(digits);
  if (Number(text) >= 1e3 && i < UNITS.length - 1) {
    v /= 1e3;
    i++;
    text = v.toFixed(1);
  }
  return `${text.replace(/\.0$/, "")} ${UNITS[i]}`;
}
function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}m`;
}

// src/artifacts/digest.ts
var HASH_CONCURRENCY = 4;
var MAX_ARTIFACT_FILES = 1e5;
var ARTIFACT_FILES_ENV = "MODELGATE_MAX_ARTIFACT_FILES";
function artifactFileCap(env) {
  const raw = env[ARTIFACT_FILES_ENV];
  return raw !== void 0 && /^[1-9][0-9]*$/.test(raw.trim()) ? Number(raw) : MAX_ARTIFACT_FILES;
}
function tooManyFiles(where, cap) {
  return new InputError(`${where} holds more than ${cap.toLocaleString("en-US")} files, more than modelgate hashes for one artifact`, {
    location: { file: where },
    hint: `point artifact: at the model directory itself, not a parent of it (${ARTIFACT_FILES_ENV} sets the cap)`
  });
}
async function digestArtifact(uri, o) {
  if (isS3Uri(uri)) return s3Digest(uri, o);
  if (uri.startsWith("mlflow-artifacts:")) return mlflowDigest(uri, o);
  const tree = await localTree(o.repoSource, normalizeRepoPath(uri, "artifact"), artifactFileCap(o.env));
  return digestTree(tree, uri, o);
}
async function s3Digest(uri, o) {
  const { bucket, key } = parseS3Uri(uri);
  const s3 = await import("./s3-K5STBPOH.js");
  const client = s3.createS3Client(o.env);
  try {
    return await digestTree(await s3Tree(s3, client, bucket, key, artifactFileCap(o.env)), uri, o);
  } finally {
    client.destroy();
  }
}
async function mlflowDigest(uri, o) {
  const [{ connectionFromEnv }, { createMlflowClient }, { mlflowArtifactTree }] = await Promise.all([
    import("./connection-R6RO3MPS.js"),
    import("./client-BMIH24MV.js"),
    import("./mlflowTree-PLH3OMFP.js")
  ]);
  const client = await createMlflowClient(connectionFromEnv(o.env));
  return digestTree(await mlflowArtifactTree(client, uri, artifactFileCap(o.env)), uri, o);
}
async function s3Tree(s3, client, bucket, key, cap) {
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
    if (files.length === cap) throw tooManyFiles(`s3://${bucket}/${prefix}`, cap);
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
async function localTree(source, root, cap = MAX_ARTIFACT_FILES) {
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
      else if (files.length === cap) throw tooManyFiles(source.describe(root), cap);
      else files.push(fileOf(path, relPath, child.size));
    }
  };
  await walk(root, "");
  return { kind: "dir", files };
}

export {
  mapLimit,
  tooManyFiles,
  digestArtifact,
  directoryDigest,
  sha256OfStream,
  localTree
};
