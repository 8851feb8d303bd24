/**
 * A portable run record (`schemas/run.schema.json`): one JSON file any tracker can export.
 * Latest metric values are `metrics` where given, else computed from `metric_history` with
 * MLflow's rule; the signature is the record's own (lists, not JSON strings), else the MLmodel
 * of its artifact directory when that is in the same source.
 */
import runSchema from '../../schemas/run.schema.json';
import { InputError, InputErrors, NotFoundError, UnsafePathError } from '../errors';
import { parseJson, type ParsedDocument } from '../schema/document';
import { schemaErrors } from '../schema/validate';
import { isMlflowArtifactsUri, isRemoteUri, isS3Uri, normalizeRepoPath, parseS3Uri } from '../storage/paths';
import type { FileSource } from '../storage/types';
import { isLater } from './metricFile';
import { overrideModel } from './mlflow/modelDir';
import { setOwn } from './setOwn';
import { parseSignature, signatureState } from './signature';
import { readSourceText } from './sourceText';
import { MAX_HISTORY_POINTS } from './limits';
import type { ValueKind } from './valueLimits';
import { memoryValues, type MemoryLimits } from './values';
import type { MetricPoint, RunRecord, RunStatus, SignatureState } from './types';

type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

/** The record as the schema admits it. */
interface PortableRecord {
  run_id: string;
  experiment?: string;
  status?: RunStatus;
  start_time?: string;
  end_time?: string;
  params?: Record<string, string | number | boolean>;
  tags?: Record<string, string | number | boolean>;
  metrics?: Record<string, MetricValue>;
  metric_history?: Record<string, { step: number; value: MetricValue; timestamp: number }[]>;
  signature?: Record<string, unknown>;
  artifact?: string;
  source?: { tracker: 'mlflow'; tracking_uri: string; run_id: string; model_id?: string };
}

export async function readPortableRun(source: FileSource, ref: string, opts: { artifact?: string } = {}): Promise<RunRecord> {
  const file = source.describe(ref);
  const text = await readSourceText(source, ref);
  if (text === undefined) {
    throw new NotFoundError(`run ${file} not found: no .json record at that path`, { hint: 'check the run: path in the manifest (relative to the repository root)' });
  }
  const doc = parseJson(text, file);
  const errors = schemaErrors(runSchema, doc);
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new InputErrors(errors);
  const rec = doc.value as PortableRecord;
  const historyRefused = historyRefusal(rec, doc);

  const histories = new Map<string, MetricPoint[]>();
  for (const [key, points] of historyRefused ? [] : Object.entries(rec.metric_history ?? {})) {
    histories.set(key, points.map((p) => ({ step: p.step, timestamp: p.timestamp, value: metricNumber(p.value) })));
  }
  const artifact = opts.artifact ?? recordArtifact(rec, doc);
  const record: RunRecord = {
    format: 'json',
    ref,
    runId: rec.run_id,
    params: memoryValues(texts(rec.params), limits('param', doc)),
    metrics: memoryValues(latestMetrics(rec.metrics ?? {}, histories), limits('metric', doc, historyRefused)),
    tags: memoryValues(texts(rec.tags), limits('tag', doc)),
    signature: await signature(source, rec, file, artifact),
    history: (metric) => replay(histories.get(metric) ?? []),
  };
  if (rec.experiment !== undefined) record.experiment = rec.experiment;
  if (rec.status !== undefined) record.status = rec.status;
  if (rec.start_time !== undefined) record.startTime = new Date(rec.start_time).toISOString();
  if (rec.end_time !== undefined) record.endTime = new Date(rec.end_time).toISOString();
  if (artifact !== undefined) record.artifact = artifact;
  if (rec.source !== undefined) {
    const s = rec.source;
    record.source = { tracker: s.tracker, trackingUri: s.tracking_uri, runId: s.run_id, ...(s.model_id ? { modelId: s.model_id } : {}) };
  }
  return record;
}

/**
 * MLflow's limits on the record's values, applied when a check asks (values.ts): an input error
 * naming the file and the key. Not the line: locating a node re-parses the JSON, which for a
 * record near the 8 MiB cap costs seconds and hundreds of MiB (100,000 history points: 8 s,
 * 525 MiB).
 */
function limits(kind: ValueKind, doc: ParsedDocument, refusal?: InputError): MemoryLimits {
  return { kind, where: () => ({ file: doc.file }), ...(refusal ? { refusal } : {}) };
}

/** More history points than modelgate reads: the record's metrics cannot be judged. */
function historyRefusal(rec: PortableRecord, doc: ParsedDocument): InputError | undefined {
  let points = 0;
  for (const list of Object.values(rec.metric_history ?? {})) points += list.length;
  if (points <= MAX_HISTORY_POINTS) return undefined;
  return new InputError(`metric_history holds ${points.toLocaleString('en-US')} points, more than the ${MAX_HISTORY_POINTS.toLocaleString('en-US')} modelgate reads from one record`, {
    location: { file: doc.file },
    hint: 'export the latest value of each metric in "metrics" and keep long histories out of the run record',
  });
}

function metricNumber(v: MetricValue): number {
  return typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
}

/** Strings as they are; numbers and booleans as their JSON text. */
function texts(values: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {})) setOwn(out, k, typeof v === 'string' ? v : JSON.stringify(v));
  return out;
}

/** `metrics` wins for the keys it has; other keys take the latest point of their history. */
function latestMetrics(given: Record<string, MetricValue>, histories: Map<string, MetricPoint[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, points] of histories) {
    let best: MetricPoint | undefined;
    for (const p of points) {
      if (!best || isLater(p.step, p.timestamp, p.value, best.step, best.timestamp, best.value)) best = p;
    }
    if (best) setOwn(out, key, best.value);
  }
  for (const [key, v] of Object.entries(given)) setOwn(out, key, metricNumber(v));
  return out;
}

/** The record's `artifact`, checked: an s3:// URI or a path that stays inside the repository. */
function recordArtifact(rec: PortableRecord, doc: ParsedDocument): string | undefined {
  const a = rec.artifact;
  if (a === undefined) return undefined;
  try {
    if (isS3Uri(a)) {
      parseS3Uri(a);
      return a;
    }
    if (isMlflowArtifactsUri(a)) return a;
    return normalizeRepoPath(a, 'artifact');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // Same class (an escaping path stays an UnsafePathError), now located in the record.
    const Located = err instanceof UnsafePathError ? UnsafePathError : InputError;
    throw new Located(err.message, { location: doc.locate(['artifact']), hint: err.hint ?? 'write a repository path or s3://bucket/prefix' });
  }
}

async function signature(source: FileSource, rec: PortableRecord, file: string, artifact: string | undefined): Promise<SignatureState> {
  if (rec.signature !== undefined) return signatureState(`${file} (signature)`, () => parseSignature(rec.signature));
  if (artifact !== undefined && !isRemoteUri(artifact)) {
    const fromModel = await overrideModel(source, artifact);
    if (fromModel.signature.state !== 'unavailable') return fromModel.signature;
  }
  // A model in S3: its MLmodel is read there by the adapter (commands/evaluation.ts).
  if (artifact !== undefined && isS3Uri(artifact)) return { state: 'unavailable', reason: `the model is in S3 (${artifact}) and the record has no signature` };
  return { state: 'absent', source: file };
}

async function* replay(points: MetricPoint[]): AsyncGenerator<MetricPoint> {
  yield* points;
}
