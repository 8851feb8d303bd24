/** An MLflow FileStore run directory (`meta.yaml`, `params/`, `metrics/`, `tags/`, artifacts) → RunRecord. */
import { InputError } from '../../errors';
import { parseYaml } from '../../schema/document';
import type { FileSource } from '../../storage/types';
import { mapLimit } from '../mapLimit';
import { latestMetricPoint, metricPoints } from '../metricFile';
import { setOwn } from '../setOwn';
import { baseName, childPath, readSourceText } from '../sourceText';
import type { MetricPoint, RunRecord } from '../types';
import { READ_CONCURRENCY, listKeyedFiles, readKeyedTexts } from './keyedFiles';
import { interpretRunMeta } from './meta';
import { MAX_PARAM_VALUE_CHARS, MAX_TAG_VALUE_CHARS } from '../limits';
import { locateMlflowModel } from './modelDir';

export async function readMlflowRun(source: FileSource, ref: string, opts: { artifact?: string } = {}): Promise<RunRecord> {
  const metaPath = childPath(ref, 'meta.yaml');
  const text = await readSourceText(source, metaPath);
  if (text === undefined) throw new InputError(`run ${source.describe(ref)} has no meta.yaml`, { location: { file: source.describe(metaPath) } });
  const meta = interpretRunMeta(parseYaml(text, source.describe(metaPath)), ref);

  const [params, tags, latest] = await Promise.all([
    readKeyedTexts(source, childPath(ref, 'params'), MAX_PARAM_VALUE_CHARS, 'param'),
    readKeyedTexts(source, childPath(ref, 'tags'), MAX_TAG_VALUE_CHARS, 'tag'),
    readLatestMetrics(source, childPath(ref, 'metrics')),
  ]);
  const model = await locateMlflowModel({ source, ref, tags, artifactUri: meta.artifactUri, ...(opts.artifact !== undefined ? { artifact: opts.artifact } : {}) });

  const runId = meta.runId ?? (ref === '' ? undefined : baseName(ref));
  if (runId === undefined) {
    throw new InputError('run meta.yaml has no run_id or run_uuid', { location: { file: source.describe(metaPath) }, hint: 'MLflow writes run_id; check that this is an MLflow run directory' });
  }
  const name = meta.name ?? nonEmpty(tags['mlflow.runName']);
  const record: RunRecord = {
    format: 'mlflow',
    ref,
    runId,
    status: meta.status,
    params,
    metrics: latest.metrics,
    tags,
    signature: model.signature,
    history: (metric) => history(source, latest.files, metric),
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

interface LatestMetrics {
  metrics: Record<string, number>;
  /** metric key → file path; only these keys have a history (no path is built from caller input). */
  files: Map<string, string>;
}

async function readLatestMetrics(source: FileSource, dir: string): Promise<LatestMetrics> {
  const files = (await listKeyedFiles(source, dir)) ?? [];
  const points = await mapLimit(files, READ_CONCURRENCY, async (f) => latestMetricPoint(await source.openStream(f.path), source.describe(f.path)));
  const metrics: Record<string, number> = {};
  files.forEach((f, i) => {
    const p = points[i];
    // A file without any point has no value (MLflow itself refuses to read it).
    if (p !== undefined) setOwn(metrics, f.key, p.value);
  });
  return { metrics, files: new Map(files.map((f) => [f.key, f.path])) };
}

async function* history(source: FileSource, files: Map<string, string>, metric: string): AsyncGenerator<MetricPoint> {
  const path = files.get(metric);
  if (path === undefined) return;
  yield* metricPoints(await source.openStream(path), source.describe(path));
}
