import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  EnvironmentError,
  InputError,
  NotFoundError,
  UnsafePathError
} from "./chunk-UI47FEJI.js";

// src/storage/paths.ts
import { posix } from "node:path";
var MAX_PATH_LENGTH = 1024;
function isS3Uri(ref) {
  return ref.startsWith("s3://");
}
var BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
function parseS3Uri(uri) {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !BUCKET.test(m[1])) {
    throw new InputError(`'${uri}' is not a valid S3 URI`, { hint: "write s3://<bucket>/<key or prefix/>" });
  }
  const key = m[2];
  if (key.includes("\0") || key.split("/").some((s) => s === ".." || s === ".")) {
    throw new InputError(`'${uri}' has '.', '..' or NUL segments`, { hint: "write the plain key of the object or prefix" });
  }
  return { bucket: m[1], key };
}
function normalizeRepoPath(ref, what = "path") {
  const hint = "write a path relative to the repository root, e.g. mlruns/1/<run_id>";
  const refuse = (why, h = hint) => new InputError(`${what} '${printable(ref)}' ${why}`, { hint: h });
  const escape = (why, h = hint) => new UnsafePathError(`${what} '${printable(ref)}' ${why}`, { hint: h });
  if (typeof ref !== "string" || ref.length === 0) throw refuse("is empty");
  if (ref.length > MAX_PATH_LENGTH) throw refuse(`is longer than ${MAX_PATH_LENGTH} characters`);
  if (ref.includes("\0")) throw escape("contains a NUL byte");
  if (ref.includes("\\")) throw escape("contains a backslash", "use forward slashes (/) in repository paths");
  if (/^[A-Za-z]:/.test(ref) || ref.startsWith("/") || ref.startsWith("~")) throw escape("is absolute: paths must stay inside the repository");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw refuse("is a URI that modelgate cannot read", "use a repository path or s3://bucket/key");
  const segments = ref.split("/");
  if (segments.includes("..")) throw escape("contains '..': paths must stay inside the repository");
  const norm = posix.normalize(ref).replace(/\/+$/, "");
  if (norm === "." || norm === "") throw refuse("names the repository root itself");
  return norm.replace(/^\.\//, "");
}
function printable(s) {
  const shown = s.length > 200 ? s.slice(0, 200) + "\u2026" : s;
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

// src/repo/worktree.ts
import { createReadStream, promises as fs } from "node:fs";
import { dirname, join, sep } from "node:path";
var MAX_TEXT_BYTES = 16 * 1024 * 1024;
function decodeText(bytes, file, where = "") {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    const line = firstInvalidLine(bytes);
    throw new InputError(`${file}${where} is not valid UTF-8 (line ${line})`, {
      location: { file, line },
      hint: "save the file as UTF-8 (modelgate reads metadata as UTF-8 text)"
    });
  }
}
function firstInvalidLine(bytes) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let start = 0;
  for (let line = 1; ; line++) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (nl === -1) return line;
    start = nl + 1;
  }
}
function tooLarge(file, size, where = "") {
  return new InputError(`${file}${where} is ${size} bytes, larger than the ${MAX_TEXT_BYTES / 1024 / 1024} MiB modelgate reads as text`, {
    location: { file },
    hint: "metadata files (manifests, policies, run records) should be small; point large data at an artifact instead"
  });
}
var WorktreeState = class {
  constructor(root) {
    this.root = root;
  }
  root;
  label = "worktree";
  commit = void 0;
  realRoot;
  describe(path) {
    try {
      return toRepoPath(path);
    } catch {
      return printable(path);
    }
  }
  /**
   * The absolute real path of a repository path, checked to be inside the repository;
   * undefined when nothing is there. Throws InputError for `..`, absolute paths and symlink
   * escapes.
   */
  async realPath(path) {
    const rel = toRepoPath(path);
    const root = await this.rootReal();
    const target = rel === "" ? this.root : join(this.root, rel);
    const real = await realpathOrMissing(target, rel);
    if (real !== void 0) {
      assertInside(root, real, rel);
      return real;
    }
    let dir = dirname(target);
    for (; ; ) {
      const r = await realpathOrMissing(dir, rel);
      if (r !== void 0) {
        assertInside(root, r, rel);
        return void 0;
      }
      const up = dirname(dir);
      if (up === dir) return void 0;
      dir = up;
    }
  }
  async stat(path) {
    const real = await this.realPath(path);
    if (real === void 0) return void 0;
    const st = await fsCall(() => fs.stat(real), path);
    if (st === void 0) return void 0;
    if (st.isDirectory()) return { type: "dir", size: 0 };
    if (st.isFile()) return { type: "file", size: st.size };
    return void 0;
  }
  async readBytes(path) {
    return this.readFile(path, void 0);
  }
  async readText(path) {
    const bytes = await this.readFile(path, MAX_TEXT_BYTES);
    return bytes === void 0 ? void 0 : decodeText(bytes, this.describe(path));
  }
  async list(dir) {
    const real = await this.realPath(dir);
    if (real === void 0) return void 0;
    const names = await fsCall(() => fs.readdir(real), dir);
    return names?.sort(byteOrder);
  }
  async openStream(path) {
    const found = await this.regularFile(path);
    if (found === void 0) throw new NotFoundError(`${this.describe(path)} does not exist`, { location: { file: this.describe(path) } });
    return createReadStream(found.real);
  }
  async readFile(path, limit) {
    const found = await this.regularFile(path);
    if (found === void 0) return void 0;
    if (limit !== void 0 && found.size > limit) throw tooLarge(this.describe(path), found.size);
    return fsCall(() => fs.readFile(found.real), path);
  }
  /** The real path and size of a regular file; a directory or a device is an InputError. */
  async regularFile(path) {
    const real = await this.realPath(path);
    const st = real === void 0 ? void 0 : await fsCall(() => fs.stat(real), path);
    if (real === void 0 || st === void 0) return void 0;
    if (st.isDirectory()) throw isADirectory(this.describe(path));
    if (!st.isFile()) throw new InputError(`${this.describe(path)} is not a regular file`, { location: { file: this.describe(path) } });
    return { real, size: st.size };
  }
  rootReal() {
    this.realRoot ??= fs.realpath(this.root).catch((err) => {
      throw new EnvironmentError(`cannot open the repository at ${this.root}: ${err.message}`, {
        hint: "pass --repo pointing at an existing checkout",
        cause: err
      });
    });
    return this.realRoot;
  }
};
function toRepoPath(path) {
  return path === "" || path === "." ? "" : normalizeRepoPath(path);
}
function assertInside(root, real, rel) {
  const inside = real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  if (!inside) {
    throw new UnsafePathError(`'${printable(rel)}' resolves outside the repository (symlink)`, {
      location: { file: printable(rel) },
      hint: "modelgate only reads files inside the repository; replace the symlink with the file itself"
    });
  }
}
async function realpathOrMissing(abs, rel) {
  try {
    return await fs.realpath(abs);
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return void 0;
    if (code === "ELOOP") {
      throw new UnsafePathError(`'${printable(rel)}' is a symlink loop`, { location: { file: printable(rel) }, hint: "fix or remove the symlink" });
    }
    throw envError(err, rel);
  }
}
async function fsCall(f, path) {
  try {
    return await f();
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return void 0;
    throw envError(err, path);
  }
}
function envError(err, path) {
  const code = err.code ?? "error";
  return new EnvironmentError(`cannot read ${printable(path)}: ${code} (${err.message})`, {
    hint: code === "EACCES" || code === "EPERM" ? "check the file permissions" : "check the file system",
    cause: err
  });
}
function isADirectory(file) {
  return new InputError(`${file} is a directory, not a file`, { location: { file }, hint: "name a file here" });
}
function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export {
  MAX_PATH_LENGTH,
  isS3Uri,
  parseS3Uri,
  normalizeRepoPath,
  printable,
  MAX_TEXT_BYTES,
  decodeText,
  tooLarge,
  WorktreeState,
  isADirectory,
  byteOrder
};
