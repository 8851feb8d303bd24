/**
 * Reads the run a manifest version points at, whatever wrote it: a portable `.json` record, an
 * MLflow FileStore run directory (`meta.yaml`), or a W&B local run directory (`files/`). Every
 * read goes through a FileSource, so the same code reads the working tree, a git commit or an
 * S3 prefix.
 */
import { InputError, NotFoundError } from '../errors';
import type { FileSource } from '../storage/types';
import { readMlflowRun } from './mlflow/run';
import { readPortableRun } from './portable';
import { childPath, readSourceText } from './sourceText';
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
  await refuseRegistryVersion(source, ref);
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

/**
 * A FileStore registry version directory (`mlruns/models/<name>/version-3`) has a meta.yaml
 * too, but it is not a run: say what to register instead of failing on its fields.
 */
async function refuseRegistryVersion(source: FileSource, ref: string): Promise<void> {
  const m = /(?:^|\/)models\/([^/]+)\/version-([0-9]+)$/.exec(ref);
  if (!m) return;
  const text = await readSourceText(source, childPath(ref, 'meta.yaml')).catch(() => undefined);
  if (text === undefined) return;
  const runId = /^run_id:\s*([0-9A-Za-z_-]+)\s*$/m.exec(text)?.[1];
  const where = source.describe(ref);
  throw new InputError(`${where} is a model registry version (${m[1]} version ${m[2]}), not a run`, {
    location: { file: where },
    hint: `register models:/${m[1]}/${m[2]} from the tracking server${runId ? `, or the run that logged it: --run ${runId} (or mlruns/<experiment>/${runId})` : ''}`,
  });
}

/**
 * A bare MLflow run id (`3c230151…`, 32 hex digits) → its run directory under the repository's
 * `mlruns/` (`mlruns/<experiment>/<run_id>`), when exactly one experiment holds it.
 */
export async function findBareRunId(source: FileSource, ref: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{32}$/.test(ref) || (await source.stat(ref)) !== undefined) return undefined;
  const found: string[] = [];
  for (const exp of (await source.list('mlruns')) ?? []) {
    const dir = `mlruns/${exp}/${ref}`;
    if ((await source.stat(childPath(dir, 'meta.yaml')))?.type === 'file') found.push(dir);
  }
  if (found.length > 1) {
    throw new InputError(`run id ${ref} is in more than one experiment under mlruns/: ${found.join(', ')}`, { hint: 'pass the run directory itself with --run' });
  }
  return found[0];
}
