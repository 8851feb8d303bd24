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
  const top = await source.list(dir);
  if (top === undefined) return undefined;
  const out: KeyedFile[] = [];
  const walk = async (path: string, prefix: string, names: string[], depth: number): Promise<void> => {
    if (depth > MAX_KEY_DEPTH) {
      throw new InputError(`directory nesting is deeper than ${MAX_KEY_DEPTH} levels`, { location: { file: source.describe(path) } });
    }
    const entries = await mapLimit(names, READ_CONCURRENCY, async (name) => {
      const p = childPath(path, name);
      return { name, path: p, stat: await source.stat(p) };
    });
    for (const e of entries) {
      const key = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.stat?.type === 'file') out.push({ key, path: e.path, size: e.stat.size });
      else if (e.stat?.type === 'dir') await walk(e.path, key, (await source.list(e.path)) ?? [], depth + 1);
    }
  };
  await walk(dir, '', top, 0);
  return out;
}

/** Params or tags: each file's exact text (raw UTF-8, not trimmed). */
export async function readKeyedTexts(source: FileSource, dir: string): Promise<Record<string, string>> {
  const files = (await listKeyedFiles(source, dir)) ?? [];
  const texts = await mapLimit(files, READ_CONCURRENCY, (f) => readSourceText(source, f.path, f.size));
  const out: Record<string, string> = {};
  files.forEach((f, i) => {
    const t = texts[i];
    if (t !== undefined) setOwn(out, f.key, t);
  });
  return out;
}
