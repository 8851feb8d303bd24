/**
 * Reads the run a manifest version points at, whatever wrote it: a portable `.json` record, an
 * MLflow FileStore run directory (`meta.yaml`), or a W&B local run directory (`files/`). Every
 * read goes through a FileSource, so the same code reads the working tree, a git commit or an
 * S3 prefix.
 */
import { NotFoundError } from '../errors';
import type { FileSource } from '../storage/types';
import { readMlflowRun } from './mlflow/run';
import { readPortableRun } from './portable';
import { childPath } from './sourceText';
import type { RunRecord } from './types';
import { isWandbRun, readWandbRun } from './wandb/run';

export interface ReadRunOptions {
  /** The manifest's `artifact:` override: a path in the same source (or an s3:// URI). */
  artifact?: string;
}

/**
 * `ref` is a normalized path inside `source`, or '' for the source root itself (an S3 prefix).
 * Throws NotFoundError when nothing run-like is there, InputError when it is malformed.
 */
export async function readRun(source: FileSource, ref: string, opts: ReadRunOptions = {}): Promise<RunRecord> {
  if (ref.endsWith('.json') || (ref === '' && (await source.stat(''))?.type === 'file')) return readPortableRun(source, ref, opts);
  // Any meta.yaml (a directory of that name too) makes this an MLflow run: reading it then says
  // what is wrong, rather than "not found".
  if ((await source.stat(childPath(ref, 'meta.yaml'))) !== undefined) return readMlflowRun(source, ref, opts);
  if (await isWandbRun(source, ref)) return readWandbRun(source, ref, opts);
  const where = source.describe(ref);
  throw new NotFoundError(`run ${where} not found: no meta.yaml, W&B files/ or .json record at that path`, {
    location: { file: where },
    hint: 'point run: at an MLflow run directory (mlruns/<experiment>/<run_id>), a W&B run directory (wandb/run-<date>-<id>) or a portable .json run record',
  });
}
