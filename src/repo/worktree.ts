/**
 * The working tree as a RepoState: files on disk under the repository root. Every path is
 * normalized (no `..`, no absolute paths) and then resolved with realpath, so a symlink —
 * at the end of the path or anywhere in the middle — that leaves the repository is refused
 * before anything is read.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { EnvironmentError, InputError, NotFoundError, UnsafePathError } from '../errors';
import { byteOrder, normalizeRepoPath, printable } from '../storage/paths';
import type { FileStat } from '../storage/types';
import type { EntryKind, RepoState } from './types';

/** Text files larger than this are refused: registry metadata is small, and a huge file is a mistake or an attack. */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;

/**
 * Strict UTF-8 (shared by the worktree and git states): invalid bytes are an InputError naming
 * the file and line, never silently replaced; a leading BOM is dropped.
 */
export function decodeText(bytes: Uint8Array, file: string, where = ''): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    const line = firstInvalidLine(bytes);
    throw new InputError(`${file}${where} is not valid UTF-8 (line ${line})`, {
      location: { file, line },
      hint: 'save the file as UTF-8 (modelgate reads metadata as UTF-8 text)',
    });
  }
}

/** 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one by one. */
function firstInvalidLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; ; line++) {
    const nl = bytes.indexOf(0x0a, start);
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

export function tooLarge(file: string, size: number, where = ''): InputError {
  return new InputError(`${file}${where} is ${size} bytes, larger than the ${MAX_TEXT_BYTES / 1024 / 1024} MiB modelgate reads as text`, {
    location: { file },
    hint: 'metadata files (manifests, policies, run records) should be small; point large data at an artifact instead',
  });
}

export class WorktreeState implements RepoState {
  readonly label = 'worktree';
  readonly commit = undefined;
  private realRoot: Promise<string> | undefined;

  constructor(private readonly root: string) {}

  describe(path: string): string {
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
  async realPath(path: string): Promise<string | undefined> {
    const rel = toRepoPath(path);
    const root = await this.rootReal();
    const target = rel === '' ? this.root : join(this.root, rel);
    const real = await realpathOrMissing(target, rel);
    if (real !== undefined) {
      assertInside(root, real, rel);
      return real;
    }
    // Missing: the nearest existing ancestor must still be inside (a symlinked directory in
    // the middle of the path that leaves the repo is refused even when the file is absent).
    let dir = dirname(target);
    for (;;) {
      const r = await realpathOrMissing(dir, rel);
      if (r !== undefined) {
        assertInside(root, r, rel);
        return undefined;
      }
      const up = dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const real = await this.realPath(path);
    if (real === undefined) return undefined;
    const st = await fsCall(() => fs.stat(real), path);
    if (st === undefined) return undefined;
    if (st.isDirectory()) return { type: 'dir', size: 0 };
    if (st.isFile()) return { type: 'file', size: st.size };
    return undefined; // sockets, fifos, devices: not registry content
  }

  async entryKind(path: string): Promise<EntryKind | undefined> {
    const rel = toRepoPath(path);
    if (rel === '') return 'dir';
    const abs = join(this.root, rel);
    const st = await fsCall(() => fs.lstat(abs), path);
    if (st === undefined) return undefined;
    if (st.isSymbolicLink()) return 'symlink';
    if (st.isFile()) return 'file';
    if (!st.isDirectory()) return 'other';
    // A checked-out submodule (or a nested repository) has its own `.git`.
    return (await fsCall(() => fs.lstat(join(abs, '.git')), path)) === undefined ? 'dir' : 'submodule';
  }

  async readBytes(path: string): Promise<Uint8Array | undefined> {
    return this.readFile(path, undefined);
  }

  async readText(path: string): Promise<string | undefined> {
    const bytes = await this.readFile(path, MAX_TEXT_BYTES);
    return bytes === undefined ? undefined : decodeText(bytes, this.describe(path));
  }

  async list(dir: string): Promise<string[] | undefined> {
    const real = await this.realPath(dir);
    if (real === undefined) return undefined;
    const names = await fsCall(() => fs.readdir(real), dir);
    return names?.sort(byteOrder);
  }

  async openStream(path: string): Promise<AsyncIterable<Uint8Array>> {
    const found = await this.regularFile(path);
    if (found === undefined) throw new NotFoundError(`${this.describe(path)} does not exist`, { location: { file: this.describe(path) } });
    return createReadStream(found.real);
  }

  private async readFile(path: string, limit: number | undefined): Promise<Uint8Array | undefined> {
    const found = await this.regularFile(path);
    if (found === undefined) return undefined;
    if (limit !== undefined && found.size > limit) throw tooLarge(this.describe(path), found.size);
    return fsCall(() => fs.readFile(found.real), path);
  }

  /** The real path and size of a regular file; a directory or a device is an InputError. */
  private async regularFile(path: string): Promise<{ real: string; size: number } | undefined> {
    const real = await this.realPath(path);
    const st = real === undefined ? undefined : await fsCall(() => fs.stat(real), path);
    if (real === undefined || st === undefined) return undefined;
    if (st.isDirectory()) throw isADirectory(this.describe(path));
    // A FIFO would block the read forever; devices are not registry content either.
    if (!st.isFile()) throw new InputError(`${this.describe(path)} is not a regular file`, { location: { file: this.describe(path) } });
    return { real, size: st.size };
  }

  private rootReal(): Promise<string> {
    this.realRoot ??= fs.realpath(this.root).catch((err: unknown) => {
      throw new EnvironmentError(`cannot open the repository at ${this.root}: ${(err as Error).message}`, {
        hint: 'pass --repo pointing at an existing checkout',
        cause: err,
      });
    });
    return this.realRoot;
  }
}

/** Repo paths from callers; '' (and '.') name the root, which only stat/list accept usefully. */
function toRepoPath(path: string): string {
  return path === '' || path === '.' ? '' : normalizeRepoPath(path);
}

function assertInside(root: string, real: string, rel: string): void {
  const inside = real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  if (!inside) {
    throw new UnsafePathError(`'${printable(rel)}' resolves outside the repository (symlink)`, {
      location: { file: printable(rel) },
      hint: 'modelgate only reads files inside the repository; replace the symlink with the file itself',
    });
  }
}

async function realpathOrMissing(abs: string, rel: string): Promise<string | undefined> {
  try {
    return await fs.realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'ELOOP') {
      throw new UnsafePathError(`'${printable(rel)}' is a symlink loop`, { location: { file: printable(rel) }, hint: 'fix or remove the symlink' });
    }
    throw envError(err, rel);
  }
}

/** Runs an fs call; a path that vanished (or is not a directory) reads as missing. */
async function fsCall<T>(f: () => Promise<T>, path: string): Promise<T | undefined> {
  try {
    return await f();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw envError(err, path);
  }
}

function envError(err: unknown, path: string): EnvironmentError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new EnvironmentError(`cannot read ${printable(path)}: ${code} (${(err as Error).message})`, {
    hint: code === 'EACCES' || code === 'EPERM' ? 'check the file permissions' : 'check the file system',
    cause: err,
  });
}

export function isADirectory(file: string): InputError {
  return new InputError(`${file} is a directory, not a file`, { location: { file }, hint: 'name a file here' });
}
