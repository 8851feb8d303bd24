/**
 * Reading small metadata files (meta.yaml, MLmodel, params, tags, W&B files, JSON records)
 * through a FileSource: refused over the document size limit before being read whole, and
 * decoded as strict UTF-8 so a binary or mis-encoded file is an input error, not mojibake.
 */
import { InputError } from '../errors';
import { MAX_DOCUMENT_BYTES } from '../schema/document';
import type { FileSource } from '../storage/types';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The file's text exactly as stored (no trimming; a BOM is kept for the parsers to strip);
 * undefined when there is no file at `path`. `knownSize` skips the stat when the caller has it.
 */
export async function readSourceText(source: FileSource, path: string, knownSize?: number): Promise<string | undefined> {
  let size = knownSize;
  if (size === undefined) {
    const st = await source.stat(path);
    if (!st) return undefined;
    // A directory where a file belongs is a mistake (or a trick) to name, not a missing file.
    if (st.type !== 'file') {
      throw new InputError('is a directory, not a file', { location: { file: source.describe(path) }, hint: 'name a file here' });
    }
    size = st.size;
  }
  if (size > MAX_DOCUMENT_BYTES) throw tooLarge(source, path);
  const bytes = await source.readBytes(path);
  if (bytes === undefined) return undefined;
  // The stat and the read are not atomic; check again what was actually read.
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) throw tooLarge(source, path);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError('file is not valid UTF-8 text', {
      location: { file: source.describe(path) },
      hint: 'run metadata files are UTF-8 text; check that this is the file you meant',
    });
  }
}

function tooLarge(source: FileSource, path: string): InputError {
  return new InputError(`file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`, {
    location: { file: source.describe(path) },
    hint: 'modelgate refuses oversized metadata files; check that this is the file you meant',
  });
}

/** `dir/name`, where `dir` may be '' (the source root). */
export function childPath(dir: string, ...names: string[]): string {
  return [dir, ...names].filter((p) => p !== '').join('/');
}

/** The parent of a source path ('' for a top-level entry); undefined for the root itself. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

/** The last segment of a source path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
