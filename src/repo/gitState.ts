/**
 * A commit as a RepoState, read with git plumbing. All reads of one state go through two
 * long-lived processes — `git cat-file --batch` (contents) and `--batch-check` (type and size) —
 * with pipelined requests: concurrent reads write their requests at once and the answers are
 * matched in order, so reading 1,000 manifests costs one process, not 1,000.
 *
 * Symlinks in the tree are followed by git itself (`--follow-symlinks`: inside the tree,
 * relative to the link's directory, at most 40 hops); a link that leaves the tree is refused
 * before anything is read.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { EnvironmentError, InputError, NotFoundError, UnsafePathError } from '../errors';
import { git, gitEnv, scrubUrl } from '../git/exec';
import { normalizeRepoPath, printable } from '../storage/paths';
import type { FileStat } from '../storage/types';
import type { EntryKind, RepoState } from './types';
import { byteOrder, decodeText, isADirectory, MAX_TEXT_BYTES, tooLarge } from './worktree';

/** Blobs up to this size are streamed from the batch process; larger ones get their own `git cat-file blob`. */
const INLINE_STREAM_MAX = 4 * 1024 * 1024;

export class GitState implements RepoState {
  readonly label: string;
  readonly commit: string;
  private contents: CatFile | undefined;
  private checks: CatFile | undefined;
  /** Directory listings of this commit, by repo path: a commit never changes, so they never expire. */
  private readonly trees = new Map<string, Promise<Map<string, TreeEntry> | undefined>>();

  private constructor(
    private readonly root: string,
    sha: string,
  ) {
    this.label = sha;
    this.commit = sha;
  }

  /** Opens the state at `ref` (any commit-ish). An unknown ref is an InputError. */
  static async open(root: string, ref: string): Promise<GitState> {
    const unknown = () =>
      new InputError(`unknown revision '${printable(ref)}'`, {
        hint: 'name a commit, branch or tag that exists in this clone; in a shallow clone (actions/checkout fetches one commit by default) fetch it first: git fetch origin <ref>, or use fetch-depth: 0',
      });
    if (ref === '' || ref.startsWith('-') || /[\u0000-\u001f\u007f]/.test(ref)) throw unknown();
    const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: root, allowFail: true });
    if (r.code === 1) throw unknown();
    if (r.code !== 0) {
      throw new EnvironmentError(`git could not read '${printable(ref)}' in ${root}: ${scrubUrl(r.stderr.trim()) || `exit ${r.code}`}`, {
        hint: 'run modelgate inside a healthy git checkout',
      });
    }
    return new GitState(root, r.stdout.trim());
  }

  describe(path: string): string {
    try {
      return toRepoPath(path);
    } catch {
      return printable(path);
    }
  }

  async stat(path: string): Promise<FileStat | undefined> {
    // By blob id from the directory's listing when it is plain (no tree walk per file: a run
    // directory of 10,000 params is one tree read and 10,000 pipelined size answers).
    const rel = toRepoPath(path);
    if (rel !== '' && !/[\u0000-\u001f\u007f]/.test(rel)) {
      const slash = rel.lastIndexOf('/');
      const listing = await this.tree(slash === -1 ? '' : rel.slice(0, slash));
      if (listing) {
        const entry = listing.get(rel.slice(slash + 1));
        if (!entry) return undefined;
        if (entry.mode === '40000') return { type: 'dir', size: 0 };
        if (entry.mode === '100644' || entry.mode === '100755') {
          const r = await this.checkReader().request(entry.oid, Infinity);
          if (r.kind === 'object' && r.type === 'blob') return { type: 'file', size: r.size };
        }
      }
    }
    const reply = await this.lookup(this.checkReader(), path);
    if (reply?.type === 'tree') return { type: 'dir', size: 0 };
    if (reply?.type === 'blob') return { type: 'file', size: reply.size };
    return undefined; // missing, or a submodule commit
  }

  async entryKind(path: string): Promise<EntryKind | undefined> {
    const rel = toRepoPath(path);
    if (rel === '') return 'dir';
    const slash = rel.lastIndexOf('/');
    const entry = (await this.tree(slash === -1 ? '' : rel.slice(0, slash)))?.get(rel.slice(slash + 1));
    return entry === undefined ? undefined : kindOfMode(entry.mode);
  }

  async readBytes(path: string): Promise<Uint8Array | undefined> {
    return this.readBlob(path, Infinity);
  }

  async readText(path: string): Promise<string | undefined> {
    const bytes = await this.readBlob(path, MAX_TEXT_BYTES);
    return bytes === undefined ? undefined : decodeText(bytes, this.describe(path), this.at());
  }

  async list(dir: string): Promise<string[] | undefined> {
    // A plain directory's listing is the tree the reads below it use anyway (read once).
    const rel = toRepoPath(dir);
    const plain = /[\u0000-\u001f\u007f]/.test(rel) ? undefined : await this.tree(rel);
    if (plain) return [...plain.keys()].sort(byteOrder);
    const reply = await this.lookup(this.contentReader(), dir);
    if (reply?.type !== 'tree' || !reply.content) return undefined;
    return parseTreeEntries(reply.content, reply.oid.length / 2)
      .map((e) => e.name)
      .sort(byteOrder);
  }

  async openStream(path: string): Promise<AsyncIterable<Uint8Array>> {
    const info = await this.lookup(this.checkReader(), path);
    const file = this.describe(path);
    if (info?.type === 'tree') throw isADirectory(file);
    if (info?.type !== 'blob') throw new NotFoundError(`${file} does not exist${this.at()}`, { location: { file } });
    if (info.size <= INLINE_STREAM_MAX) {
      const bytes = await this.readBlob(path, Infinity);
      return (async function* () {
        if (bytes) yield bytes;
      })();
    }
    return streamBlob(this.root, info.oid, file);
  }

  /** Ends the reader processes. Safe to call twice; a later read starts new ones. */
  close(): void {
    this.contents?.end();
    this.checks?.end();
    this.contents = undefined;
    this.checks = undefined;
  }

  private async readBlob(path: string, limit: number): Promise<Uint8Array | undefined> {
    const direct = await this.regularFile(path, limit);
    const reply = direct === 'ask-by-path' ? await this.lookup(this.contentReader(), path, limit) : direct;
    if (reply === undefined) return undefined;
    if (reply.type === 'tree') throw isADirectory(this.describe(path));
    if (reply.type !== 'blob') return undefined;
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
  private async regularFile(path: string, limit: number): Promise<ObjectReply | undefined | 'ask-by-path'> {
    const rel = toRepoPath(path);
    if (rel === '' || /[\u0000-\u001f\u007f]/.test(rel)) return 'ask-by-path';
    const slash = rel.lastIndexOf('/');
    const listing = await this.tree(slash === -1 ? '' : rel.slice(0, slash));
    if (!listing) return 'ask-by-path';
    const entry = listing.get(rel.slice(slash + 1));
    if (!entry) return undefined; // the directory is there and the file is not
    if (entry.mode !== '100644' && entry.mode !== '100755') return 'ask-by-path';
    const reply = await this.contentReader().request(entry.oid, limit);
    return reply.kind === 'object' ? reply : 'ask-by-path';
  }

  /** The entries of directory `dir`, when every part of its path is a plain directory. */
  private tree(dir: string): Promise<Map<string, TreeEntry> | undefined> {
    let listing = this.trees.get(dir);
    if (!listing) {
      listing = this.plainTree(dir);
      this.trees.set(dir, listing);
      listing.catch(() => this.trees.delete(dir)); // a failed read is not remembered
    }
    return listing;
  }

  private async plainTree(dir: string): Promise<Map<string, TreeEntry> | undefined> {
    let oid: string;
    if (dir === '') {
      oid = `${this.commit}^{tree}`;
    } else {
      // Through the parent's listing, so a symlinked directory on the way is never taken for a plain one.
      const slash = dir.lastIndexOf('/');
      const parent = await this.tree(slash === -1 ? '' : dir.slice(0, slash));
      const entry = parent?.get(dir.slice(slash + 1));
      if (entry?.mode !== '40000') return undefined;
      oid = entry.oid;
    }
    const reply = await this.contentReader().request(oid, Infinity);
    if (reply.kind !== 'object' || reply.type !== 'tree' || !reply.content) return undefined;
    return new Map(parseTreeEntries(reply.content, reply.oid.length / 2).map((e) => [e.name, e]));
  }

  /** Asks git for `<commit>:<path>`; missing paths answer undefined, escaping symlinks throw. */
  private async lookup(reader: CatFile, path: string, limit = Infinity): Promise<ObjectReply | undefined> {
    const rel = toRepoPath(path);
    if (/[\u0000-\u001f\u007f]/.test(rel)) {
      // git reads requests one per line (and drops a trailing CR): such a path cannot be asked for.
      throw new InputError(`path '${printable(rel)}' contains a control character`, { hint: 'rename the file' });
    }
    const reply = await reader.request(`${this.commit}:${rel}`, limit);
    switch (reply.kind) {
      case 'object':
        return reply;
      case 'missing':
      case 'dangling':
      case 'notdir':
        return undefined;
      case 'outside':
        throw new UnsafePathError(`'${printable(rel)}' resolves outside the repository (symlink to ${printable(reply.target)})${this.at()}`, {
          location: { file: printable(rel) },
          hint: 'modelgate only reads files inside the repository; replace the symlink with the file itself',
        });
      case 'loop':
        throw new UnsafePathError(`'${printable(rel)}' is a symlink loop (or more than 40 links deep)${this.at()}`, {
          location: { file: printable(rel) },
          hint: 'fix or remove the symlink',
        });
    }
  }

  private at(): string {
    return ` at commit ${this.commit.slice(0, 12)}`;
  }

  private contentReader(): CatFile {
    if (!this.contents?.alive) this.contents = new CatFile(this.root, true);
    return this.contents;
  }

  private checkReader(): CatFile {
    if (!this.checks?.alive) this.checks = new CatFile(this.root, false);
    return this.checks;
  }
}

/** '' and '.' name the root tree (for list/stat); anything else must be a safe repo path. */
function toRepoPath(path: string): string {
  return path === '' || path === '.' ? '' : normalizeRepoPath(path);
}

interface TreeEntry {
  /** As git writes it: `100644`, `100755`, `120000` (symlink), `40000` (directory), `160000` (submodule). */
  mode: string;
  name: string;
  oid: string;
}

function kindOfMode(mode: string): EntryKind {
  switch (mode) {
    case '100644':
    case '100755':
      return 'file';
    case '40000':
      return 'dir';
    case '120000':
      return 'symlink';
    case '160000':
      return 'submodule';
    default:
      return 'other';
  }
}

/** Binary tree format: `<mode> SP <name> NUL <raw oid>` repeated. */
export function parseTreeEntries(tree: Buffer, oidBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < tree.length) {
    const sp = tree.indexOf(0x20, i);
    const nul = sp === -1 ? -1 : tree.indexOf(0x00, sp + 1);
    if (sp === -1 || nul === -1 || nul + 1 + oidBytes > tree.length) throw new EnvironmentError('git returned a malformed tree object', { hint: 'run git fsck' });
    entries.push({ mode: tree.toString('latin1', i, sp), name: tree.toString('utf8', sp + 1, nul), oid: tree.toString('hex', nul + 1, nul + 1 + oidBytes) });
    i = nul + 1 + oidBytes;
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// One long-lived `git cat-file --batch[-check] --follow-symlinks` with a FIFO of requests.

interface ObjectReply {
  kind: 'object';
  oid: string;
  type: string;
  size: number;
  /** Contents (batch mode, when not larger than the request's limit). */
  content: Buffer | undefined;
}

type Reply =
  | ObjectReply
  | { kind: 'missing' }
  | { kind: 'outside'; target: string }
  | { kind: 'dangling' | 'loop' | 'notdir' };

interface Pending {
  spec: string;
  limit: number;
  resolve(r: Reply): void;
  reject(e: Error): void;
}

interface Body {
  /** Bytes still expected, including the LF that ends every body. */
  remaining: number;
  /** undefined when the bytes are read and dropped (over the request's limit). */
  parts: Buffer[] | undefined;
  finish(content: Buffer | undefined): Reply;
}

const SPECIAL = new Set(['symlink', 'dangling', 'loop', 'notdir']);

class CatFile {
  alive = true;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private header: Buffer = Buffer.alloc(0);
  private body: Body | undefined;
  private stderr = '';

  constructor(
    root: string,
    private readonly withContent: boolean,
  ) {
    const mode = withContent ? '--batch' : '--batch-check';
    this.child = spawn('git', ['cat-file', mode, '--follow-symlinks'], { cwd: root, env: gitEnv({ cwd: root }), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.child.stdin.on('error', () => undefined); // EPIPE when git died: reported by 'close'
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      this.fail(
        err.code === 'ENOENT'
          ? new EnvironmentError('git is not installed (or not on PATH)', { hint: 'install git; modelgate reads the registry history with it' })
          : new EnvironmentError(`could not run git cat-file: ${err.message}`, { cause: err }),
      );
    });
    this.child.on('close', (code) => {
      this.fail(new EnvironmentError(`git cat-file ${mode} exited (${code ?? 'signal'}) while reading: ${scrubUrl(this.stderr.trim()) || 'no message'}`, {
        hint: 'check that the repository is a healthy git checkout (git fsck)',
      }));
    });
    // An idle reader must never keep node alive (a forgotten close()); see setRef.
    this.setRef(false);
  }

  request(spec: string, limit: number): Promise<Reply> {
    if (!this.alive) return Promise.reject(new EnvironmentError('git cat-file reader is closed'));
    return new Promise<Reply>((resolve, reject) => {
      this.queue.push({ spec, limit, resolve, reject });
      if (this.queue.length === 1) this.setRef(true);
      this.child.stdin.write(spec + '\n');
    });
  }

  /** No more requests; git answers those already sent, then exits. */
  end(): void {
    if (!this.alive) return;
    this.alive = false;
    this.child.stdin.end();
  }

  /** Waiting for answers keeps the event loop alive; idle pipes and the child do not. */
  private setRef(on: boolean): void {
    for (const h of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as Pick<Socket, 'ref' | 'unref'>[]) {
      if (on) h.ref?.();
      else h.unref?.();
    }
  }

  private onData(chunk: Buffer): void {
    let buf = chunk;
    while (buf.length > 0) {
      if (this.body) {
        const body = this.body;
        const take = Math.min(body.remaining, buf.length);
        body.parts?.push(buf.subarray(0, take));
        body.remaining -= take;
        buf = buf.subarray(take);
        if (body.remaining === 0) {
          this.body = undefined;
          const content = body.parts ? Buffer.concat(body.parts).subarray(0, -1) : undefined;
          this.settle(body.finish(content));
        }
        continue;
      }
      const nl = buf.indexOf(0x0a);
      if (nl === -1) {
        this.header = Buffer.concat([this.header, buf]);
        return;
      }
      const line = Buffer.concat([this.header, buf.subarray(0, nl)]).toString('utf8');
      this.header = Buffer.alloc(0);
      buf = buf.subarray(nl + 1);
      this.onHeader(line);
    }
  }

  private onHeader(line: string): void {
    const p = this.queue[0];
    if (!p) return this.protocolError(line);
    if (line === `${p.spec} missing` || line === `${p.spec} ambiguous`) return this.settle({ kind: 'missing' });
    const parts = line.split(' ');
    const size = Number(parts[1] ?? NaN);
    if (parts.length === 2 && SPECIAL.has(parts[0]!) && Number.isInteger(size)) {
      // `symlink <n>\n<target outside the tree>\n`, and the same shape for dangling/loop/notdir.
      const kind = parts[0]!;
      this.body = {
        remaining: size + 1,
        parts: [],
        finish: (content) =>
          kind === 'symlink' ? { kind: 'outside', target: content?.toString('utf8') ?? '' } : { kind: kind as 'dangling' | 'loop' | 'notdir' },
      };
      return;
    }
    const sizeOf = Number(parts[2] ?? NaN);
    if (parts.length === 3 && /^[0-9a-f]{40,64}$/.test(parts[0]!) && Number.isInteger(sizeOf)) {
      const reply: ObjectReply = { kind: 'object', oid: parts[0]!, type: parts[1]!, size: sizeOf, content: undefined };
      if (!this.withContent) return this.settle(reply);
      this.body = { remaining: sizeOf + 1, parts: sizeOf <= p.limit ? [] : undefined, finish: (content) => ({ ...reply, content }) };
      return;
    }
    this.protocolError(line);
  }

  private settle(reply: Reply): void {
    const p = this.queue.shift();
    if (this.queue.length === 0) this.setRef(false);
    p?.resolve(reply);
  }

  private protocolError(line: string): void {
    this.fail(new EnvironmentError(`unexpected answer from git cat-file: ${printable(line)}`, { hint: 'upgrade git (2.30 or newer)' }));
    this.child.kill();
  }

  private fail(err: Error): void {
    this.alive = false;
    for (const p of this.queue.splice(0)) p.reject(err);
    this.setRef(false);
  }
}

/** A large blob from its own `git cat-file blob`; the process ends when the stream is dropped. */
async function* streamBlob(root: string, oid: string, file: string): AsyncGenerator<Uint8Array> {
  const child = spawn('git', ['cat-file', 'blob', oid], { cwd: root, env: gitEnv({ cwd: root }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (e) => resolve(e.message));
    child.on('close', (code) => resolve(code ?? 'signal'));
  });
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    if (code !== 0) {
      throw new EnvironmentError(`could not read ${file} from git (${code}): ${scrubUrl(stderr.trim())}`, { hint: 'run git fsck' });
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/**
 * Blobs of any commit through one long-lived `git cat-file --batch` (`<commit>:<path>`): for
 * commands that walk history (audit verify) and would otherwise start `git show` per blob.
 */
export class GitObjects {
  private reader: CatFile | undefined;
  constructor(private readonly root: string) {}

  /** The blob at `rev:path`, or undefined when there is none. */
  async read(rev: string, path: string): Promise<Buffer | undefined> {
    if (!this.reader?.alive) this.reader = new CatFile(this.root, true);
    const reply = await this.reader.request(`${rev}:${normalizeRepoPath(path)}`, Infinity);
    return reply.kind === 'object' && reply.type === 'blob' ? reply.content : undefined;
  }

  close(): void {
    this.reader?.end();
    this.reader = undefined;
  }
}
