/**
 * Path safety for user-written references (run dirs, artifacts, config directories). A
 * reference is either `s3://bucket/key` or a repo-relative POSIX path that stays inside the
 * repository: `..` escapes, absolute paths, drive letters, backslashes, NUL bytes and empty
 * segments are input errors, never read. (Symlinks are checked where files are opened, by the
 * state that owns the root: repo/worktree.ts and repo/gitState.ts.)
 */
import { posix } from 'node:path';
import { InputError, UnsafePathError } from '../errors';

export const MAX_PATH_LENGTH = 1024;

export function isS3Uri(ref: string): boolean {
  return ref.startsWith('s3://');
}

/** An `mlflow-artifacts:/…` URI: an artifact read through the MLflow tracking server's proxy. */
export function isMlflowArtifactsUri(ref: string): boolean {
  return /^mlflow-artifacts:\/[^\s\0\\]*$/.test(ref);
}

/** An artifact location outside the repository: S3, or the tracking server's artifact proxy. */
export function isRemoteUri(ref: string): boolean {
  return isS3Uri(ref) || isMlflowArtifactsUri(ref);
}

export interface S3Location {
  bucket: string;
  /** Key or prefix, without a leading slash; may be empty (whole bucket). */
  key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !BUCKET.test(m[1]!)) {
    throw new InputError(`'${uri}' is not a valid S3 URI`, { hint: 'write s3://<bucket>/<key or prefix/>' });
  }
  const key = m[2]!;
  if (key.includes('\0') || key.split('/').some((s) => s === '..' || s === '.')) {
    throw new InputError(`'${uri}' has '.', '..' or NUL segments`, { hint: 'write the plain key of the object or prefix' });
  }
  return { bucket: m[1]!, key };
}

/**
 * Normalizes a repo-relative reference (`./mlruns/1/abc/` → `mlruns/1/abc`) or throws an
 * InputError saying why it is refused. `what` names the field in messages (e.g. "run").
 */
export function normalizeRepoPath(ref: string, what = 'path'): string {
  const hint = 'write a path relative to the repository root, e.g. mlruns/1/<run_id>';
  const refuse = (why: string, h = hint) => new InputError(`${what} '${printable(ref)}' ${why}`, { hint: h });
  // Paths that could reach outside the repository are a distinct error: `check` refuses them
  // outright instead of reporting a failing check.
  const escape = (why: string, h = hint) => new UnsafePathError(`${what} '${printable(ref)}' ${why}`, { hint: h });
  if (typeof ref !== 'string' || ref.length === 0) throw refuse('is empty');
  if (ref.length > MAX_PATH_LENGTH) throw refuse(`is longer than ${MAX_PATH_LENGTH} characters`);
  if (ref.includes('\0')) throw escape('contains a NUL byte');
  if (ref.includes('\\')) throw escape('contains a backslash', 'use forward slashes (/) in repository paths');
  if (/^[A-Za-z]:/.test(ref) || ref.startsWith('/') || ref.startsWith('~')) throw escape('is absolute: paths must stay inside the repository');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw refuse('is a URI that modelgate cannot read', 'use a repository path or s3://bucket/key');
  const segments = ref.split('/');
  if (segments.includes('..')) throw escape("contains '..': paths must stay inside the repository");
  const norm = posix.normalize(ref).replace(/\/+$/, '');
  if (norm === '.' || norm === '') throw refuse('names the repository root itself');
  return norm.replace(/^\.\//, '');
}

/** Joins repo-relative segments and re-checks the result. */
export function joinRepoPath(base: string, ...rest: string[]): string {
  const parts = [base, ...rest].filter((p) => p !== '');
  return normalizeRepoPath(parts.join('/'));
}

/** True when `path` is `dir` or inside it (both normalized repo paths). */
export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

/** Control characters are shown escaped in messages (terminal and log injection). */
export function printable(s: string): string {
  const shown = s.length > 200 ? s.slice(0, 200) + '…' : s;
  // eslint-disable-next-line no-control-regex
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Path order by UTF-8 bytes (sha256sum's and git's order), not by UTF-16 code units. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
