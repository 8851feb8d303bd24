/**
 * Artifact digests (SPEC §6). A single file: `sha256:<hex of its bytes>`. A directory or S3
 * prefix: `sha256:` + sha256 of one `<hex>  <relative path>\n` line per file, sorted by
 * relative path in byte order — what `sha256sum` prints, so anyone can recompute it inside the
 * directory with `find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum |
 * sha256sum`. Paths are written as they
 * are (GNU sha256sum would escape a `\` or newline in a file name; such names are rare in
 * artifacts, and the spec's line format is literal).
 *
 * Every file is streamed (bounded memory), at most four at a time. S3 objects whose stored
 * full-object SHA-256 checksum is available are not downloaded at all.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors';
import type { FileSource } from '../storage/types';
import { isS3Uri, normalizeRepoPath, parseS3Uri } from '../storage/paths';
import { byteOrder } from '../storage/paths';
import { mapLimit } from '../runs/mapLimit';
import { HashProgress } from './progress';
// Types only: the SDK itself is loaded by `await import()` when an s3:// artifact is hashed.
import type { S3Client } from '@aws-sdk/client-s3';

type S3Module = typeof import('../storage/s3');

export interface DigestOptions {
  /** The repository state repo-relative artifacts are read through (already path-safe). */
  repoSource: FileSource;
  env: Record<string, string | undefined>;
  /** Progress lines for long hashes (see progress.ts); without it hashing is silent. */
  onProgress?: ((text: string) => void) | undefined;
  /** Redraw progress on the terminal; default: stderr is a TTY (and onProgress is given). */
  interactive?: boolean | undefined;
}

export interface ArtifactDigest {
  exists: boolean;
  /** `sha256:<64 hex>`, when it exists. */
  digest?: string;
  files: number;
  bytes: number;
}

/** One file of an artifact: its path relative to the artifact root and how to get its hash. */
export interface ArtifactFile {
  path: string;
  size: number;
  /** Hex sha256; `progress` is told about bytes as they are hashed. */
  sha256(progress: HashProgress): Promise<string>;
}

/** What an artifact reference resolved to. */
export type ArtifactTree = { kind: 'missing' } | { kind: 'file'; file: ArtifactFile } | { kind: 'dir'; files: ArtifactFile[] };

/** Objects hashed at once: enough to hide per-request latency, few enough to bound memory. */
export const HASH_CONCURRENCY = 4;

/**
 * Files of one artifact (a directory or an S3 prefix), counted while listing: past it the
 * listing stops (no further S3 page is asked for) and the artifact is refused as an input error
 * (a `could not evaluate:` deny in a check, exit 2 where a digest is written): the reference
 * names a parent of the model, and no retry of the environment would change that. The same
 * figure and rule for the tracking server's artifact walk (artifacts/mlflowTree.ts).
 */
export const MAX_ARTIFACT_FILES = 100_000;
export const ARTIFACT_FILES_ENV = 'MODELGATE_MAX_ARTIFACT_FILES';

/** The cap, lowered or raised by MODELGATE_MAX_ARTIFACT_FILES (a positive integer). */
export function artifactFileCap(env: Record<string, string | undefined>): number {
  const raw = env[ARTIFACT_FILES_ENV];
  return raw !== undefined && /^[1-9][0-9]*$/.test(raw.trim()) ? Number(raw) : MAX_ARTIFACT_FILES;
}

export function tooManyFiles(where: string, cap: number): InputError {
  return new InputError(`${where} holds more than ${cap.toLocaleString('en-US')} files, more than modelgate hashes for one artifact`, {
    location: { file: where },
    hint: `point artifact: at the model directory itself, not a parent of it (${ARTIFACT_FILES_ENV} sets the cap)`,
  });
}

export async function digestArtifact(uri: string, o: DigestOptions): Promise<ArtifactDigest> {
  if (isS3Uri(uri)) return s3Digest(uri, o);
  if (uri.startsWith('mlflow-artifacts:')) return mlflowDigest(uri, o);
  const tree = await localTree(o.repoSource, normalizeRepoPath(uri, 'artifact'), artifactFileCap(o.env));
  return digestTree(tree, uri, o);
}

async function s3Digest(uri: string, o: DigestOptions): Promise<ArtifactDigest> {
  const { bucket, key } = parseS3Uri(uri); // a malformed URI is an input error before any S3 work
  const s3 = await import('../storage/s3');
  const client = s3.createS3Client(o.env);
  try {
    return await digestTree(await s3Tree(s3, client, bucket, key, artifactFileCap(o.env)), uri, o);
  } finally {
    client.destroy();
  }
}

/** Through the tracking server's artifact proxy (MLFLOW_TRACKING_URI and its credentials). */
async function mlflowDigest(uri: string, o: DigestOptions): Promise<ArtifactDigest> {
  const [{ connectionFromEnv }, { createMlflowClient }, { mlflowArtifactTree }] = await Promise.all([
    import('../mlflow/connection'),
    import('../mlflow/client'),
    import('./mlflowTree'),
  ]);
  const client = await createMlflowClient(connectionFromEnv(o.env));
  return digestTree(await mlflowArtifactTree(client, uri, artifactFileCap(o.env)), uri, o);
}

/**
 * An S3 URI that names an existing object is a file; otherwise it is a prefix (a `/` is
 * appended), and an empty prefix does not exist. Zero-byte `…/` keys are the "folder" markers
 * consoles create, not files.
 */
async function s3Tree(s3: S3Module, client: S3Client, bucket: string, key: string, cap: number): Promise<ArtifactTree> {
  if (key !== '' && !key.endsWith('/')) {
    const head = await s3.headObject(client, bucket, key);
    if (head) return { kind: 'file', file: s3File(s3, client, bucket, key, key.split('/').pop()!, head.size, head.sha256 ?? false) };
  }
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const files: ArtifactFile[] = [];
  for await (const obj of s3.listObjects(client, bucket, prefix)) {
    const rel = obj.Key.slice(prefix.length);
    const size = obj.Size ?? 0;
    if (rel === '' || (rel.endsWith('/') && size === 0)) continue;
    // Thrown inside the loop: leaving it ends the listing, no further page is asked for.
    if (files.length === cap) throw tooManyFiles(`s3://${bucket}/${prefix}`, cap);
    files.push(s3File(s3, client, bucket, obj.Key, rel, size, s3.mayHaveFullSha256(obj) ? undefined : false));
  }
  return files.length > 0 ? { kind: 'dir', files } : { kind: 'missing' };
}

/**
 * `stored`: the full-object SHA-256 S3 keeps (hex), `false` when it has none, `undefined` when
 * the listing says it may (one HeadObject tells). Otherwise the bytes are streamed and hashed.
 */
function s3File(s3: S3Module, client: S3Client, bucket: string, key: string, path: string, size: number, stored: string | false | undefined): ArtifactFile {
  return {
    path,
    size,
    async sha256(progress) {
      const known = stored === undefined ? (await s3.headObject(client, bucket, key))?.sha256 : stored || undefined;
      if (known !== undefined) {
        progress.skip(size);
        return known;
      }
      return sha256OfStream(await s3.openObject(client, bucket, key), (n) => progress.add(n));
    },
  };
}

/** Hashes a resolved tree: the pure part of the rule, over any storage. */
export async function digestTree(tree: ArtifactTree, label: string, o: Pick<DigestOptions, 'onProgress' | 'interactive'>): Promise<ArtifactDigest> {
  if (tree.kind === 'missing') return { exists: false, files: 0, bytes: 0 };
  const files = tree.kind === 'file' ? [tree.file] : tree.files;
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const interactive = o.interactive ?? (o.onProgress !== undefined && process.stderr.isTTY === true);
  const progress = new HashProgress(label, bytes, { interactive, onProgress: o.onProgress, tty: process.stderr });
  let failed = false;
  try {
    const hashes = await mapLimit(files, HASH_CONCURRENCY, async (f) => {
      if (failed) return ''; // one failure decides: do not download the rest
      try {
        return await f.sha256(progress);
      } catch (err) {
        failed = true;
        throw err;
      }
    });
    const digest = tree.kind === 'file' ? `sha256:${hashes[0]!}` : directoryDigest(files.map((f, i) => ({ path: f.path, sha256: hashes[i]! })));
    return { exists: true, digest, files: files.length, bytes };
  } finally {
    progress.finish(!failed);
  }
}

/** The directory rule: sha256sum's listing of the files, sorted by path in byte order, hashed. */
export function directoryDigest(entries: { path: string; sha256: string }[]): string {
  return `sha256:${createHash('sha256').update(sha256sumListing(entries), 'utf8').digest('hex')}`;
}

/** `<hex>  <path>\n` per file, sorted by path in byte order. */
export function sha256sumListing(entries: { path: string; sha256: string }[]): string {
  return [...entries]
    .sort((a, b) => byteOrder(a.path, b.path))
    .map((e) => `${e.sha256}  ${e.path}\n`)
    .join('');
}

/** Hex sha256 of a stream, chunk by chunk. */
export async function sha256OfStream(stream: AsyncIterable<Uint8Array>, onBytes: (n: number) => void = () => undefined): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of stream) {
    h.update(chunk);
    onBytes(chunk.length);
  }
  return h.digest('hex');
}

/**
 * A repo-relative file or directory. `.git` is never part of an artifact; nothing else is
 * skipped (the repository state already refuses paths and symlinks that leave the repo).
 */
export async function localTree(source: FileSource, root: string, cap = MAX_ARTIFACT_FILES): Promise<ArtifactTree> {
  const st = await source.stat(root);
  if (!st) return { kind: 'missing' };
  const fileOf = (path: string, rel: string, size: number): ArtifactFile => ({
    path: rel,
    size,
    sha256: async (progress) => sha256OfStream(await source.openStream(path), (n) => progress.add(n)),
  });
  if (st.type === 'file') return { kind: 'file', file: fileOf(root, root.split('/').pop()!, st.size) };
  const files: ArtifactFile[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await source.list(dir)) ?? []) {
      if (name === '.git') continue;
      const path = `${dir}/${name}`;
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const child = await source.stat(path);
      if (!child) continue; // vanished between list and stat
      if (child.type === 'dir') await walk(path, relPath);
      else if (files.length === cap) throw tooManyFiles(source.describe(root), cap);
      else files.push(fileOf(path, relPath, child.size));
    }
  };
  await walk(root, '');
  return { kind: 'dir', files };
}
