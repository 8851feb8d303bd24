import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  git,
  gitEnv,
  scrubUrl
} from "./chunk-SO4SZRZT.js";
import {
  MAX_TEXT_BYTES,
  decodeText,
  isADirectory,
  tooLarge
} from "./chunk-27FDAS2B.js";
import {
  byteOrder,
  normalizeRepoPath,
  printable
} from "./chunk-JOPA73JY.js";
import {
  EnvironmentError,
  InputError,
  NotFoundError,
  UnsafePathError
} from "./chunk-RTQ2UXCO.js";

// src/transitions/derive.ts
var KIND_ORDER = { register: 0, stage: 1, alias: 2, remove: 3, modify: 4 };
function deriveTransitions(model, base, head) {
  const out = [];
  const baseVersions = new Map((base?.versions ?? []).map((v) => [v.version, v]));
  const headVersions = new Map((head?.versions ?? []).map((v) => [v.version, v]));
  for (const [version, hv] of headVersions) {
    const bv = baseVersions.get(version);
    if (!bv) {
      out.push({ model, version, kind: "register", from: null, to: hv.stage });
    } else if (bv.stage !== hv.stage) {
      out.push({ model, version, kind: "stage", from: bv.stage, to: hv.stage });
    }
  }
  for (const [version, bv] of baseVersions) {
    if (!headVersions.has(version)) out.push({ model, version, kind: "remove", from: bv.stage, to: null });
  }
  const baseAliases = base?.aliases ?? {};
  const headAliases = head?.aliases ?? {};
  for (const [alias, version] of Object.entries(headAliases)) {
    const before = baseAliases[alias];
    if (before === version) continue;
    const stage = headVersions.get(version)?.stage ?? null;
    out.push({
      model,
      version,
      kind: "alias",
      from: stage,
      to: `@${alias}`,
      ...before !== void 0 ? { previousVersion: before } : {}
    });
  }
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.version - b.version || String(a.to).localeCompare(String(b.to)));
}
function removedAliases(base, head) {
  const headAliases = head?.aliases ?? {};
  return Object.entries(base?.aliases ?? {}).filter(([alias]) => !(alias in headAliases)).map(([alias, version]) => ({ alias, version }));
}
function isGated(t) {
  if (t.kind === "register") return t.to !== "None";
  return true;
}

// src/git/catFile.ts
import { spawn } from "node:child_process";
var SPECIAL = /* @__PURE__ */ new Set(["symlink", "dangling", "loop", "notdir"]);
var CatFile = class {
  constructor(root, withContent) {
    this.withContent = withContent;
    const mode = withContent ? "--batch" : "--batch-check";
    this.child = spawn("git", ["cat-file", mode, "--follow-symlinks"], { cwd: root, env: gitEnv({ cwd: root }), stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk) => this.onData(chunk));
    this.child.stderr.on("data", (chunk) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-4e3);
    });
    this.child.stdin.on("error", () => void 0);
    this.child.on("error", (err) => {
      this.fail(
        err.code === "ENOENT" ? new EnvironmentError("git is not installed (or not on PATH)", { hint: "install git; modelgate reads the registry history with it" }) : new EnvironmentError(`could not run git cat-file: ${err.message}`, { cause: err })
      );
    });
    this.child.on("close", (code) => {
      this.fail(new EnvironmentError(`git cat-file ${mode} exited (${code ?? "signal"}) while reading: ${scrubUrl(this.stderr.trim()) || "no message"}`, {
        hint: "check that the repository is a healthy git checkout (git fsck)"
      }));
    });
    this.setRef(false);
  }
  withContent;
  alive = true;
  child;
  queue = [];
  header = Buffer.alloc(0);
  body;
  stderr = "";
  request(spec, limit) {
    if (!this.alive) return Promise.reject(new EnvironmentError("git cat-file reader is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ spec, limit, resolve, reject });
      if (this.queue.length === 1) this.setRef(true);
      this.child.stdin.write(spec + "\n");
    });
  }
  /** No more requests; git answers those already sent, then exits. */
  end() {
    if (!this.alive) return;
    this.alive = false;
    this.child.stdin.end();
  }
  /** Waiting for answers keeps the event loop alive; idle pipes and the child do not. */
  setRef(on) {
    for (const h of [this.child, this.child.stdin, this.child.stdout, this.child.stderr]) {
      if (on) h.ref?.();
      else h.unref?.();
    }
  }
  onData(chunk) {
    let buf = chunk;
    while (buf.length > 0) {
      if (this.body) {
        const body = this.body;
        const take = Math.min(body.remaining, buf.length);
        body.parts?.push(buf.subarray(0, take));
        body.remaining -= take;
        buf = buf.subarray(take);
        if (body.remaining === 0) {
          this.body = void 0;
          const content = body.parts ? Buffer.concat(body.parts).subarray(0, -1) : void 0;
          this.settle(body.finish(content));
        }
        continue;
      }
      const nl = buf.indexOf(10);
      if (nl === -1) {
        this.header = Buffer.concat([this.header, buf]);
        return;
      }
      const line = Buffer.concat([this.header, buf.subarray(0, nl)]).toString("utf8");
      this.header = Buffer.alloc(0);
      buf = buf.subarray(nl + 1);
      this.onHeader(line);
    }
  }
  onHeader(line) {
    const p = this.queue[0];
    if (!p) return this.protocolError(line);
    if (line === `${p.spec} missing` || line === `${p.spec} ambiguous`) return this.settle({ kind: "missing" });
    const parts = line.split(" ");
    const size = Number(parts[1] ?? NaN);
    if (parts.length === 2 && SPECIAL.has(parts[0]) && Number.isInteger(size)) {
      const kind = parts[0];
      this.body = {
        remaining: size + 1,
        parts: [],
        finish: (content) => kind === "symlink" ? { kind: "outside", target: content?.toString("utf8") ?? "" } : { kind }
      };
      return;
    }
    const sizeOf = Number(parts[2] ?? NaN);
    if (parts.length === 3 && /^[0-9a-f]{40,64}$/.test(parts[0]) && Number.isInteger(sizeOf)) {
      const reply = { kind: "object", oid: parts[0], type: parts[1], size: sizeOf, content: void 0 };
      if (!this.withContent) return this.settle(reply);
      this.body = { remaining: sizeOf + 1, parts: sizeOf <= p.limit ? [] : void 0, finish: (content) => ({ ...reply, content }) };
      return;
    }
    this.protocolError(line);
  }
  settle(reply) {
    const p = this.queue.shift();
    if (this.queue.length === 0) this.setRef(false);
    p?.resolve(reply);
  }
  protocolError(line) {
    this.fail(new EnvironmentError(`unexpected answer from git cat-file: ${printable(line)}`, { hint: "upgrade git (2.30 or newer)" }));
    this.child.kill();
  }
  fail(err) {
    this.alive = false;
    for (const p of this.queue.splice(0)) p.reject(err);
    this.setRef(false);
  }
};
async function* streamBlob(root, oid, file) {
  const child = spawn("git", ["cat-file", "blob", oid], { cwd: root, env: gitEnv({ cwd: root }), stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (b) => stderr += b.toString("utf8"));
  const exited = new Promise((resolve) => {
    child.on("error", (e) => resolve(e.message));
    child.on("close", (code) => resolve(code ?? "signal"));
  });
  try {
    for await (const chunk of child.stdout) yield chunk;
    const code = await exited;
    if (code !== 0) {
      throw new EnvironmentError(`could not read ${file} from git (${code}): ${scrubUrl(stderr.trim())}`, { hint: "run git fsck" });
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

// src/repo/gitState.ts
var INLINE_STREAM_MAX = 4 * 1024 * 1024;
var GitState = class _GitState {
  constructor(root, sha) {
    this.root = root;
    this.label = sha;
    this.commit = sha;
  }
  root;
  label;
  commit;
  contents;
  checks;
  /** Directory listings of this commit, by repo path: a commit never changes, so they never expire. */
  trees = /* @__PURE__ */ new Map();
  /** Opens the state at `ref` (any commit-ish). An unknown ref is an InputError. */
  static async open(root, ref) {
    const unknown = () => new InputError(`unknown revision '${printable(ref)}'`, {
      hint: "name a commit, branch or tag that exists in this clone; in a shallow clone (actions/checkout fetches one commit by default) fetch it first: git fetch origin <ref>, or use fetch-depth: 0"
    });
    if (ref === "" || ref.startsWith("-") || /[\u0000-\u001f\u007f]/.test(ref)) throw unknown();
    const r = await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: root, allowFail: true });
    if (r.code === 1) throw unknown();
    if (r.code !== 0) {
      throw new EnvironmentError(`git could not read '${printable(ref)}' in ${root}: ${scrubUrl(r.stderr.trim()) || `exit ${r.code}`}`, {
        hint: "run modelgate inside a healthy git checkout"
      });
    }
    return new _GitState(root, r.stdout.trim());
  }
  describe(path) {
    try {
      return toRepoPath(path);
    } catch {
      return printable(path);
    }
  }
  async stat(path) {
    const rel = toRepoPath(path);
    if (rel !== "" && !/[\u0000-\u001f\u007f]/.test(rel)) {
      const slash = rel.lastIndexOf("/");
      const listing = await this.tree(slash === -1 ? "" : rel.slice(0, slash));
      if (listing) {
        const entry = listing.get(rel.slice(slash + 1));
        if (!entry) return void 0;
        if (entry.mode === "40000") return { type: "dir", size: 0 };
        if (entry.mode === "100644" || entry.mode === "100755") {
          const r = await this.checkReader().request(entry.oid, Infinity);
          if (r.kind === "object" && r.type === "blob") return { type: "file", size: r.size };
        }
      }
    }
    const reply = await this.lookup(this.checkReader(), path);
    if (reply?.type === "tree") return { type: "dir", size: 0 };
    if (reply?.type === "blob") return { type: "file", size: reply.size };
    return void 0;
  }
  async entryKind(path) {
    const rel = toRepoPath(path);
    if (rel === "") return "dir";
    const slash = rel.lastIndexOf("/");
    const entry = (await this.tree(slash === -1 ? "" : rel.slice(0, slash)))?.get(rel.slice(slash + 1));
    return entry === void 0 ? void 0 : kindOfMode(entry.mode);
  }
  async readBytes(path) {
    return this.readBlob(path, Infinity);
  }
  async readText(path) {
    const bytes = await this.readBlob(path, MAX_TEXT_BYTES);
    return bytes === void 0 ? void 0 : decodeText(bytes, this.describe(path), this.at());
  }
  async list(dir) {
    const rel = toRepoPath(dir);
    const plain = /[\u0000-\u001f\u007f]/.test(rel) ? void 0 : await this.tree(rel);
    if (plain) return [...plain.keys()].sort(byteOrder);
    const reply = await this.lookup(this.contentReader(), dir);
    if (reply?.type !== "tree" || !reply.content) return void 0;
    return parseTreeEntries(reply.content, reply.oid.length / 2).map((e) => e.name).sort(byteOrder);
  }
  async openStream(path) {
    const info = await this.lookup(this.checkReader(), path);
    const file = this.describe(path);
    if (info?.type === "tree") throw isADirectory(file);
    if (info?.type !== "blob") throw new NotFoundError(`${file} does not exist${this.at()}`, { location: { file } });
    if (info.size <= INLINE_STREAM_MAX) {
      const bytes = await this.readBlob(path, Infinity);
      return (async function* () {
        if (bytes) yield bytes;
      })();
    }
    return streamBlob(this.root, info.oid, file);
  }
  /** Ends the reader processes. Safe to call twice; a later read starts new ones. */
  close() {
    this.contents?.end();
    this.checks?.end();
    this.contents = void 0;
    this.checks = void 0;
  }
  async readBlob(path, limit) {
    const direct = await this.regularFile(path, limit);
    const reply = direct === "ask-by-path" ? await this.lookup(this.contentReader(), path, limit) : direct;
    if (reply === void 0) return void 0;
    if (reply.type === "tree") throw isADirectory(this.describe(path));
    if (reply.type !== "blob") return void 0;
    if (reply.size > limit || !reply.content) throw tooLarge(this.describe(path), reply.size, this.at());
    return reply.content;
  }
  /**
   * A regular file read by its blob id, found in its directory's listing (one request per
   * directory, then one per file): asking git for `<commit>:<path>` makes it walk the trees
   * again on every request, which costs more than the read itself in large directories.
   * Anything but a regular file in a plain listed directory (a symlink anywhere on the way, a
   * directory, a submodule, an unlisted parent) is asked for by path, with git's own rules.
   */
  async regularFile(path, limit) {
    const rel = toRepoPath(path);
    if (rel === "" || /[\u0000-\u001f\u007f]/.test(rel)) return "ask-by-path";
    const slash = rel.lastIndexOf("/");
    const listing = await this.tree(slash === -1 ? "" : rel.slice(0, slash));
    if (!listing) return "ask-by-path";
    const entry = listing.get(rel.slice(slash + 1));
    if (!entry) return void 0;
    if (entry.mode !== "100644" && entry.mode !== "100755") return "ask-by-path";
    const reply = await this.contentReader().request(entry.oid, limit);
    return reply.kind === "object" ? reply : "ask-by-path";
  }
  /** The entries of directory `dir`, when every part of its path is a plain directory. */
  tree(dir) {
    let listing = this.trees.get(dir);
    if (!listing) {
      listing = this.plainTree(dir);
      this.trees.set(dir, listing);
      listing.catch(() => this.trees.delete(dir));
    }
    return listing;
  }
  async plainTree(dir) {
    let oid;
    if (dir === "") {
      oid = `${this.commit}^{tree}`;
    } else {
      const slash = dir.lastIndexOf("/");
      const parent = await this.tree(slash === -1 ? "" : dir.slice(0, slash));
      const entry = parent?.get(dir.slice(slash + 1));
      if (entry?.mode !== "40000") return void 0;
      oid = entry.oid;
    }
    const reply = await this.contentReader().request(oid, Infinity);
    if (reply.kind !== "object" || reply.type !== "tree" || !reply.content) return void 0;
    return new Map(parseTreeEntries(reply.content, reply.oid.length / 2).map((e) => [e.name, e]));
  }
  /** Asks git for `<commit>:<path>`; missing paths answer undefined, escaping symlinks throw. */
  async lookup(reader, path, limit = Infinity) {
    const rel = toRepoPath(path);
    if (/[\u0000-\u001f\u007f]/.test(rel)) {
      throw new InputError(`path '${printable(rel)}' contains a control character`, { hint: "rename the file" });
    }
    const reply = await reader.request(`${this.commit}:${rel}`, limit);
    switch (reply.kind) {
      case "object":
        return reply;
      case "missing":
      case "dangling":
      case "notdir":
        return void 0;
      case "outside":
        throw new UnsafePathError(`'${printable(rel)}' resolves outside the repository (symlink to ${printable(reply.target)})${this.at()}`, {
          location: { file: printable(rel) },
          hint: "modelgate only reads files inside the repository; replace the symlink with the file itself"
        });
      case "loop":
        throw new UnsafePathError(`'${printable(rel)}' is a symlink loop (or more than 40 links deep)${this.at()}`, {
          location: { file: printable(rel) },
          hint: "fix or remove the symlink"
        });
    }
  }
  at() {
    return ` at commit ${this.commit.slice(0, 12)}`;
  }
  contentReader() {
    if (!this.contents?.alive) this.contents = new CatFile(this.root, true);
    return this.contents;
  }
  checkReader() {
    if (!this.checks?.alive) this.checks = new CatFile(this.root, false);
    return this.checks;
  }
};
function toRepoPath(path) {
  return path === "" || path === "." ? "" : normalizeRepoPath(path);
}
function kindOfMode(mode) {
  switch (mode) {
    case "100644":
    case "100755":
      return "file";
    case "40000":
      return "dir";
    case "120000":
      return "symlink";
    case "160000":
      return "submodule";
    default:
      return "other";
  }
}
function parseTreeEntries(tree, oidBytes) {
  const entries = [];
  let i = 0;
  while (i < tree.length) {
    const sp = tree.indexOf(32, i);
    const nul = sp === -1 ? -1 : tree.indexOf(0, sp + 1);
    if (sp === -1 || nul === -1 || nul + 1 + oidBytes > tree.length) throw new EnvironmentError("git returned a malformed tree object", { hint: "run git fsck" });
    entries.push({ mode: tree.toString("latin1", i, sp), name: tree.toString("utf8", sp + 1, nul), oid: tree.toString("hex", nul + 1, nul + 1 + oidBytes) });
    i = nul + 1 + oidBytes;
  }
  return entries;
}
var GitObjects = class {
  constructor(root) {
    this.root = root;
  }
  root;
  reader;
  /** The blob at `rev:path`, or undefined when there is none. */
  async read(rev, path) {
    if (!this.reader?.alive) this.reader = new CatFile(this.root, true);
    const reply = await this.reader.request(`${rev}:${normalizeRepoPath(path)}`, Infinity);
    return reply.kind === "object" && reply.type === "blob" ? reply.content : void 0;
  }
  close() {
    this.reader?.end();
    this.reader = void 0;
  }
};

export {
  deriveTransitions,
  removedAliases,
  isGated,
  GitState,
  GitObjects
};
