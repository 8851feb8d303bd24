/**
 * The evidence digest of a run (SPEC section 6): the directory digest of the files its metadata
 * is read from, with paths relative to the run reference. A manifest pins it (`evidence:`), so
 * a run's params, tags, metrics or model signature cannot change after the version was judged
 * without the digest saying so (`run.evidence`, `audit verify`).
 */
import { directoryDigest, localTree, sha256OfStream } from './digest';
import { NotFoundError } from '../errors';
import { isRemoteUri } from '../storage/paths';
import type { FileSource } from '../storage/types';
import { readRun, type ReadRunOptions } from '../runs/read';
import { childPath } from '../runs/sourceText';

/** One file of the evidence: its path relative to the run reference and its sha256 (hex). */
export interface EvidenceFile {
  path: string;
  sha256: string;
}

export interface Evidence {
  digest: string;
  files: EvidenceFile[];
}

const MLFLOW_DIRS = ['params', 'tags', 'metrics'] as const;
const WANDB_FILES = ['files/config.yaml', 'files/wandb-summary.json', 'files/wandb-metadata.json'] as const;

/** `sha256:…` of the run's evidence; throws NotFoundError when there is no run at `ref`. */
export async function evidenceDigest(source: FileSource, ref: string, opts: ReadRunOptions = {}): Promise<string> {
  return (await runEvidence(source, ref, opts)).digest;
}

/** The evidence files with their hashes and the digest over them (for messages naming what changed). */
export async function runEvidence(source: FileSource, ref: string, opts: ReadRunOptions = {}): Promise<Evidence> {
  const rec = await readRun(source, ref, opts); // says what is wrong with a run that is not one
  if (rec.format === 'json') {
    const sha256 = await hashFile(source, ref);
    return { digest: `sha256:${sha256}`, files: [{ path: ref.split('/').pop() ?? ref, sha256 }] };
  }
  const files: EvidenceFile[] = [];
  if (rec.format === 'mlflow') {
    files.push({ path: 'meta.yaml', sha256: await hashFile(source, childPath(ref, 'meta.yaml')) });
    for (const dir of MLFLOW_DIRS) files.push(...(await filesUnder(source, ref, dir)));
    const model = rec.artifact;
    if (model !== undefined && !isRemoteUri(model)) {
      const mlmodel = childPath(model, 'MLmodel');
      if ((await source.stat(mlmodel))?.type === 'file') files.push({ path: relativeTo(ref, mlmodel) ?? 'MLmodel', sha256: await hashFile(source, mlmodel) });
    }
  } else {
    for (const rel of WANDB_FILES) {
      const path = childPath(ref, rel);
      if ((await source.stat(path))?.type === 'file') files.push({ path: rel, sha256: await hashFile(source, path) });
    }
  }
  return { digest: directoryDigest(files), files };
}

async function filesUnder(source: FileSource, ref: string, dir: string): Promise<EvidenceFile[]> {
  const tree = await localTree(source, childPath(ref, dir));
  if (tree.kind !== 'dir') return [];
  const out: EvidenceFile[] = [];
  for (const f of tree.files) out.push({ path: `${dir}/${f.path}`, sha256: await hashFile(source, childPath(ref, dir, f.path)) });
  return out;
}

async function hashFile(source: FileSource, path: string): Promise<string> {
  if ((await source.stat(path))?.type !== 'file') {
    throw new NotFoundError(`${source.describe(path)} is not a file`, { location: { file: source.describe(path) } });
  }
  return sha256OfStream(await source.openStream(path));
}

/** `path` relative to `dir` when it lies inside it. */
function relativeTo(dir: string, path: string): string | undefined {
  if (dir === '') return path;
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
}
