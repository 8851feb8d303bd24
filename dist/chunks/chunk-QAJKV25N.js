import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  normalizeRepoPath,
  printable
} from "./chunk-V6WN2HJS.js";
import {
  EnvironmentError,
  InputError,
  NotFoundError,
  UnsafePathError
} from "./chunk-RTQ2UXCO.js";

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
  async entryKind(path) {
    const rel = toRepoPath(path);
    if (rel === "") return "dir";
    const abs = join(this.root, rel);
    const st = await fsCall(() => fs.lstat(abs), path);
    if (st === void 0) return void 0;
    if (st.isSymbolicLink()) return "symlink";
    if (st.isFile()) return "file";
    if (!st.isDirectory()) return "other";
    return await fsCall(() => fs.lstat(join(abs, ".git")), path) === void 0 ? "dir" : "submodule";
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
  MAX_TEXT_BYTES,
  decodeText,
  tooLarge,
  WorktreeState,
  isADirectory,
  byteOrder
};
