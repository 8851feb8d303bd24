/**
 * A small, read-only, file-system-like view that run readers and artifact hashing take, so the
 * same reader works on the working tree, a git ref, or an S3 prefix.
 *
 * Paths are POSIX, relative to the source's root, never starting with `/` and never containing
 * `..` segments: callers resolve user input with `storage/paths.ts` first, and every
 * implementation re-checks (a path that would leave the root is an InputError, never read).
 */
export interface FileStat {
  type: 'file' | 'dir';
  /** Bytes, for files. */
  size: number;
}

export interface FileSource {
  /** Human-readable location of a path for messages, e.g. `mlruns/1/abc/meta.yaml` or `s3://b/k`. */
  describe(path: string): string;
  /** undefined when nothing is there. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Whole file as bytes; undefined when missing. For small files (metadata). */
  readBytes(path: string): Promise<Uint8Array | undefined>;
  /**
   * Entry names (not paths) of a directory, sorted; undefined when the directory is missing.
   * `limit`: the caller refuses more than this many, so a source that pages (S3) may stop after
   * `limit + 1` names instead of listing a directory of any size; others list it whole.
   */
  list(dir: string, limit?: number): Promise<string[] | undefined>;
  /** Streams a file's bytes, for large files (metric histories, artifacts). */
  openStream(path: string): Promise<AsyncIterable<Uint8Array>>;
}
