/** FileSources for the run-reader tests: a plain directory, and an in-memory file map. */
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileSource, FileStat } from '../../src/storage/types';

export const SAMPLES = '/work/shared/samples';

function missing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/** A read-only view of a directory; paths are relative to `root` and messages show them as such. */
export class DirectorySource implements FileSource {
  /** Chunk size of streams (small values exercise the parser's chunk boundaries). */
  constructor(
    readonly root: string,
    private readonly chunkSize?: number,
  ) {}

  private abs(path: string): string {
    return path === '' ? this.root : join(this.root, path);
  }

  describe(path: string): string {
    return path === '' ? this.root : path;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await stat(this.abs(path));
      return { type: s.isDirectory() ? 'dir' : 'file', size: s.size };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async readBytes(path: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.abs(path));
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async list(dir: string): Promise<string[] | undefined> {
    try {
      return (await readdir(this.abs(dir))).sort();
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async openStream(path: string): Promise<AsyncIterable<Uint8Array>> {
    return createReadStream(this.abs(path), this.chunkSize ? { highWaterMark: this.chunkSize } : {});
  }
}

/** Files held in memory (`{'a/b.txt': 'text'}`); directories are implied by the paths. */
export class MemorySource implements FileSource {
  private readonly files = new Map<string, Uint8Array>();
  constructor(files: Record<string, string | Uint8Array>) {
    for (const [p, c] of Object.entries(files)) this.files.set(p, typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  }

  describe(path: string): string {
    return path === '' ? '(root)' : path;
  }

  private isDir(path: string): boolean {
    const prefix = path === '' ? '' : path + '/';
    for (const p of this.files.keys()) if (p.startsWith(prefix)) return true;
    return false;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const f = this.files.get(path);
    if (f) return { type: 'file', size: f.byteLength };
    return this.isDir(path) ? { type: 'dir', size: 0 } : undefined;
  }

  async readBytes(path: string): Promise<Uint8Array | undefined> {
    return this.files.get(path);
  }

  async list(dir: string): Promise<string[] | undefined> {
    if (this.files.has(dir) || !this.isDir(dir)) return undefined;
    const prefix = dir === '' ? '' : dir + '/';
    const names = new Set<string>();
    for (const p of this.files.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }

  async openStream(path: string): Promise<AsyncIterable<Uint8Array>> {
    const f = this.files.get(path);
    if (!f) throw new Error(`no file ${path}`);
    return (async function* () {
      yield f;
    })();
  }
}

/** Collects an async iterable (for history assertions). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
