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
import { EnvironmentError, InputError, NotFoundError, UnsafePathError } from '../errors';
import { git, scrubUrl } from '../git/exec';
import { CatFile, streamBlob, type ObjectReply } from '../git/catFile';
import { byteOrder, normalizeRepoPath, printable } from '../storage/paths';
import type { FileStat } from '../storage/types';
import type { EntryKind, RepoState } from './types';
import { decodeText, isADirectory, MAX_TEXT_BYTES, tooLarge } from './worktree';

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
