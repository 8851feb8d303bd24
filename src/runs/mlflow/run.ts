/** An MLflow FileStore run directory (`meta.yaml`, `params/`, `metrics/`, `tags/`, artifacts) → RunRecord. */
import { InputError } from '../../errors';
import { parseYaml } from '../../schema/document';
import type { FileSource } from '../../storage/types';
import { latestMetricPoint, metricPoints } from '../metricFile';
import { baseName, childPath, readSourceText } from '../sourceText';
import type { MetricPoint, RunRecord } from '../types';
import { KeyedDir, keyedTexts } from './keyedFiles';
import { interpretRunMeta } from './meta';
import { MAX_PARAM_VALUE_CHARS, MAX_TAG_VALUE_CHARS } from '../limits';
import { LOG_MODEL_HISTORY_TAG, locateMlflowModel } from './modelDir';

export async function readMlflowRun(source: FileSource, ref: string, opts: { artifact?: string } = {}): Promise<RunRecord> {
  const metaPath = childPath(ref, 'meta.yaml');
  const text = await readSourceText(source, metaPath);
  if (text === undefined) throw new InputError(`run ${source.describe(ref)} has no meta.yaml`, { location: { file: source.describe(metaPath) } });
  const meta = interpretRunMeta(parseYaml(text, source.describe(metaPath)), ref);

  // Values are read when a check asks for them; the reader itself needs two tags.
  const params = keyedTexts(source, childPath(ref, 'params'), MAX_PARAM_VALUE_CHARS, 'param');
  const tags = keyedTexts(source, childPath(ref, 'tags'), MAX_TAG_VALUE_CHARS, 'tag');
  const metrics = latestMetrics(source, childPath(ref, 'metrics'));
  const [historyTag, runName] = await Promise.all([tags.get(LOG_MODEL_HISTORY_TAG), tags.get('mlflow.runName')]);
  const model = await locateMlflowModel({ source, ref, historyTag, artifactUri: meta.artifactUri, ...(opts.artifact !== undefined ? { artifact: opts.artifact } : {}) });

  const runId = meta.runId ?? (ref === '' ? undefined : baseName(ref));
  if (runId === undefined) {
    throw new InputError('run meta.yaml has no run_id or run_uuid', { location: { file: source.describe(metaPath) }, hint: 'MLflow writes run_id; check that this is an MLflow run directory' });
  }
  const name = meta.name ?? nonEmpty(runName);
  const record: RunRecord = {
    format: 'mlflow',
    ref,
    runId,
    status: meta.status,
    params,
    metrics,
    tags,
    signature: model.signature,
    history: (metric) => history(source, metrics, metric),
  };
  if (meta.experimentId !== undefined) record.experiment = meta.experimentId;
  if (name !== undefined) record.name = name;
  if (meta.startTime !== undefined) record.startTime = meta.startTime;
  if (meta.endTime !== undefined) record.endTime = meta.endTime;
  if (model.artifact !== undefined) record.artifact = model.artifact;
  if (meta.deleted) record.deleted = true;
  return record;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

/** Each metric file streamed for its latest point when asked; a file without any point has no value (MLflow itself refuses to read it). */
function latestMetrics(source: FileSource, dir: string): KeyedDir<number> {
  return new KeyedDir(source, dir, async (f) => (await latestMetricPoint(await source.openStream(f.path), source.describe(f.path)))?.value);
}

/** Only keys in the listing have a history (no path is built from caller input). */
async function* history(source: FileSource, metrics: KeyedDir<number>, metric: string): AsyncGenerator<MetricPoint> {
  const path = await metrics.path(metric);
  if (path === undefined) return;
  yield* metricPoints(await source.openStream(path), source.describe(path));
}
