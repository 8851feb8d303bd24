/**
 * MLflow's one-file-per-key directories (`params/`, `tags/`, `metrics/`). A key containing `/`
 * is a nested directory (`metrics/auc_by_slice/plan=basic`), so the walk is recursive and the
 * key is the path below the directory, joined with `/`.
 */
import { InputError } from '../../errors';
import type { FileSource } from '../../storage/types';
import { mapLimit } from '../mapLimit';
import { setOwn } from '../setOwn';
import { childPath, readSourceText } from '../sourceText';
import { MAX_KEYED_BYTES_PER_RUN, MAX_RUN_DIR_ENTRIES } from '../limits';
import type { RunValues } from '../types';

/** Files read at once: enough to hide S3/git latency, few enough for file descriptors. */
export const READ_CONCURRENCY = 16;
/** MLflow keys are ≤ 250 characters; deeper trees are not MLflow's. */
const MAX_KEY_DEPTH = 64;

export interface KeyedFile {
  key: string;
  path: string;
  size: number;
}

/** Every file under `dir` with its key; undefined when `dir` does not exist. */
export async function listKeyedFiles(source: FileSource, dir: string): Promise<KeyedFile[] | undefined> {
  // S3 stops paging past the cap: a prefix of 1,000,000 params costs 11 pages, not 1,000.
  const top = await source.list(dir, MAX_RUN_DIR_ENTRIES);
  if (top === undefined) return undefined;
  const out: KeyedFile[] = [];
  const walk = async (path: string, prefix: string, names: string[], depth: number): Promise<void> => {
    if (depth > MAX_KEY_DEPTH) {
      throw new InputError(`directory nesting is deeper than ${MAX_KEY_DEPTH} levels`, { location: { file: source.describe(path) } });
    }
    // Counted on the listing, before anything per entry is asked: 100,000 files in a run
    // directory are refused after one directory read, not read one by one.
    if (names.length > MAX_RUN_DIR_ENTRIES || out.length + names.length > MAX_RUN_DIR_ENTRIES) {
      throw new InputError(`${source.describe(dir)} holds more than ${MAX_RUN_DIR_ENTRIES.toLocaleString('en-US')} entries (at least ${(out.length + names.length).toLocaleString('en-US')} at ${source.describe(path)})`, {
        location: { file: source.describe(path) },
        hint: `modelgate reads at most ${MAX_RUN_DIR_ENTRIES.toLocaleString('en-US')} params, tags or metrics per run; log fewer keys, or keep bulk data in artifacts`,
      });
    }
    const entries = await mapLimit(names, READ_CONCURRENCY, async (name) => {
      const p = childPath(path, name);
      return { name, path: p, stat: await source.stat(p) };
    });
    for (const e of entries) {
      const key = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.stat?.type === 'file') out.push({ key, path: e.path, size: e.stat.size });
      else if (e.stat?.type === 'dir') await walk(e.path, key, (await source.list(e.path, MAX_RUN_DIR_ENTRIES - out.length)) ?? [], depth + 1);
    }
  };
  await walk(dir, '', top, 0);
  return out;
}

/**
 * One of a run's keyed directories as RunValues: listed (with sizes) on first use, each file
 * read only when its key is asked for. The listing is checked whole before any value is read:
 * the entry cap, and for params and tags each file's size against MLflow's limit (over 4 bytes
 * a character cannot fit) and their total against MAX_KEYED_BYTES_PER_RUN; a failure there
 * fails every call on this directory. A value is read once, however many checks ask.
 */
export class KeyedDir<T> implements RunValues<T> {
  private listing: Promise<Map<string, KeyedFile>> | undefined;
  private dirKeys: Set<string> | undefined;
  private readonly read = new Map<string, Promise<T | undefined>>();

  constructor(
    private readonly source: FileSource,
    private readonly dir: string,
    private readonly readValue: (file: KeyedFile) => Promise<T | undefined>,
    private readonly admit: (files: KeyedFile[]) => void = () => undefined,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const files = await this.files();
    const file = files.get(key);
    if (file !== undefined) return this.value(file);
    // A directory where the key's file belongs (`metrics/val_auc/x`) is a mistake to name, not
    // a key that was never logged.
    if ((this.dirKeys ??= directoriesOf(files.keys())).has(key)) {
      throw new InputError('is a directory, not a file', { location: { file: this.source.describe(childPath(this.dir, key)) }, hint: `MLflow writes one file per key in ${this.source.describe(this.dir)}` });
    }
    return undefined;
  }

  async keys(): Promise<string[]> {
    return [...(await this.files()).keys()];
  }

  async all(): Promise<Record<string, T>> {
    const files = [...(await this.files()).values()];
    const values = await mapLimit(files, READ_CONCURRENCY, (f) => this.value(f));
    const out: Record<string, T> = {};
    files.forEach((f, i) => {
      const v = values[i];
      if (v !== undefined) setOwn(out, f.key, v);
    });
    return out;
  }

  /** The file a key's value is in (metric histories stream it); undefined for an unknown key. */
  async path(key: string): Promise<string | undefined> {
    return (await this.files()).get(key)?.path;
  }

  private files(): Promise<Map<string, KeyedFile>> {
    this.listing ??= (async () => {
      const files = (await listKeyedFiles(this.source, this.dir)) ?? [];
      this.admit(files);
      return new Map(files.map((f) => [f.key, f]));
    })();
    return this.listing;
  }

  private value(file: KeyedFile): Promise<T | undefined> {
    let p = this.read.get(file.key);
    if (!p) {
      p = this.readValue(file);
      this.read.set(file.key, p);
    }
    return p;
  }
}

/** Every directory on the way to the keys (`a/b/c` → `a`, `a/b`). */
function directoriesOf(keys: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const key of keys) for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) out.add(key.slice(0, i));
  return out;
}

/**
 * Params or tags: each file's exact text (raw UTF-8, not trimmed). A value past MLflow's limit
 * (`maxChars`: 6,000 for params, 8,000 for tags) is an input error naming the file, refused from
 * its size when it cannot fit (over 4 bytes a character) before anything is read, and the files
 * of one directory together are capped at MAX_KEYED_BYTES_PER_RUN.
 */
export function keyedTexts(source: FileSource, dir: string, maxChars: number, what: string): KeyedDir<string> {
  const admit = (files: KeyedFile[]): void => {
    let total = 0;
    for (const f of files) {
      if (f.size > maxChars * 4) throw tooLong(source, f.path, what, maxChars, `${f.size.toLocaleString('en-US')} bytes`);
      total += f.size;
    }
    if (total > MAX_KEYED_BYTES_PER_RUN) {
      throw new InputError(`the ${what}s under ${source.describe(dir)} are ${total.toLocaleString('en-US')} bytes together, more than the ${MAX_KEYED_BYTES_PER_RUN / 1024 / 1024} MiB modelgate reads per run`, {
        location: { file: source.describe(dir) },
        hint: 'run metadata should be small; keep bulk data in artifacts',
      });
    }
  };
  const read = async (f: KeyedFile): Promise<string | undefined> => {
    const t = await readSourceText(source, f.path, f.size);
    if (t !== undefined && t.length > maxChars && [...t].length > maxChars) throw tooLong(source, f.path, what, maxChars, `${[...t].length.toLocaleString('en-US')} characters`);
    return t;
  };
  return new KeyedDir(source, dir, read, admit);
}

function tooLong(source: FileSource, path: string, what: string, maxChars: number, actual: string): InputError {
  return new InputError(`${what} value is ${actual}, longer than MLflow's ${maxChars.toLocaleString('en-US')}-character limit`, {
    location: { file: source.describe(path) },
    hint: `MLflow refuses ${what} values over ${maxChars.toLocaleString('en-US')} characters; this file did not come from MLflow as it is`,
  });
}
