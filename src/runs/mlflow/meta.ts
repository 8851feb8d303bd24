/**
 * An MLflow FileStore run's `meta.yaml`, as written by MLflow 1.x, 2.x and 3.x: the key set
 * varies (`name` / `run_name`, `run_uuid` present or not), unknown keys are ignored, `status`
 * is the RunStatus enum as an integer, and times are ms since the epoch or null.
 */
import { InputError } from '../../errors';
import type { ParsedDocument } from '../../schema/document';
import { typeName } from '../../schema/document';
import type { RunStatus } from '../types';

export interface RunMeta {
  runId: string | undefined;
  experimentId: string | undefined;
  name: string | undefined;
  status: RunStatus;
  startTime: string | undefined;
  endTime: string | undefined;
  artifactUri: string | undefined;
  deleted: boolean;
}

/** MLflow's RunStatus enum (service.proto). */
const STATUS_BY_NUMBER: Record<number, RunStatus> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };
const STATUS_NAMES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

type Obj = Record<string, unknown>;

export function interpretRunMeta(doc: ParsedDocument, ref: string): RunMeta {
  const m = doc.value;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new InputError(`run meta.yaml must be a mapping, got ${typeName(m)}`, { location: doc.locate([]) });
  }
  const meta = m as Obj;
  refuseNonRun(meta, doc, ref);
  return {
    runId: text(meta.run_id) ?? text(meta.run_uuid),
    experimentId: text(meta.experiment_id),
    name: text(meta.run_name) ?? text(meta.name),
    status: status(meta, doc),
    startTime: time(meta, 'start_time', doc),
    endTime: time(meta, 'end_time', doc),
    artifactUri: text(meta.artifact_uri),
    deleted: meta.lifecycle_stage === 'deleted',
  };
}

/** An experiment dir and a 3.x logged-model dir also hold a meta.yaml: say what was pointed at. */
function refuseNonRun(meta: Obj, doc: ParsedDocument, ref: string): void {
  // Checked first: a logged model's meta.yaml also has `status` (a LoggedModelStatus).
  if ('model_id' in meta && 'source_run_id' in meta) {
    throw new InputError(`'${ref}' is an MLflow logged model, not a run`, {
      location: doc.locate([]),
      hint: `point run: at its source run${typeof meta.source_run_id === 'string' ? ` (run id ${meta.source_run_id})` : ''}: mlruns/<experiment>/<run_id>`,
    });
  }
  const isRun = 'run_id' in meta || 'run_uuid' in meta || 'artifact_uri' in meta || 'status' in meta;
  if (!isRun && 'artifact_location' in meta) {
    throw new InputError(`'${ref}' is an MLflow experiment, not a run`, {
      location: doc.locate([]),
      hint: `point run: at one of its run directories: ${ref === '' ? '' : ref + '/'}<run_id>`,
    });
  }
}

/** Non-empty text; YAML may have typed an id as a number (very old experiment ids). */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function status(meta: Obj, doc: ParsedDocument): RunStatus {
  const s = meta.status;
  if (s === undefined || s === null) return 'RUNNING'; // MLflow's default
  if (typeof s === 'number' && STATUS_BY_NUMBER[s]) return STATUS_BY_NUMBER[s];
  if (typeof s === 'string' && (STATUS_NAMES as readonly string[]).includes(s)) return s as RunStatus;
  throw new InputError(`status is ${typeName(s)}, which is not an MLflow run status`, {
    location: doc.locate(['status']),
    hint: 'MLflow writes 1 (RUNNING), 2 (SCHEDULED), 3 (FINISHED), 4 (FAILED) or 5 (KILLED)',
  });
}

/** ms since the epoch → ISO 8601 UTC; null or absent → undefined. */
function time(meta: Obj, key: string, doc: ParsedDocument): string | undefined {
  const v = meta[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  throw new InputError(`${key} is ${typeName(v)}, not a time in milliseconds since 1970`, {
    location: doc.locate([key]),
    hint: 'MLflow writes integer milliseconds, or null while the run has not ended',
  });
}
