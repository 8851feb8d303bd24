/**
 * A W&B local run directory (`run-<YYYYMMDD_HHMMSS>-<id>/` or `offline-run-…/`) → RunRecord.
 * W&B records no final status and no history we read locally: `status` is undefined (the policy
 * engine reports it) and `history()` yields nothing. The model signature comes only from an
 * `artifact:` override that points at an MLflow model directory.
 */
import { InputError } from '../../errors';
import { parseJson, parseYaml } from '../../schema/document';
import type { FileSource } from '../../storage/types';
import { overrideModel } from '../mlflow/modelDir';
import { baseName, childPath, readSourceText } from '../sourceText';
import type { MetricPoint, RunRecord, SignatureState } from '../types';
import { memoryValues } from '../values';
import { configParams } from './config';
import { interpretMetadata } from './metadata';
import { parseSummary, summaryMetrics } from './summary';

const RUN_LOG = /^run-(.+)\.wandb$/;
const RUN_DIR = /^(?:offline-)?run-\d{8}_\d{6}-(.+)$/;

/** True when `ref` looks like a W&B run directory: it has `files/` or a `run-<id>.wandb` log. */
export async function isWandbRun(source: FileSource, ref: string): Promise<boolean> {
  if ((await source.stat(childPath(ref, 'files')))?.type === 'dir') return true;
  return ((await source.list(ref)) ?? []).some((n) => RUN_LOG.test(n));
}

export async function readWandbRun(source: FileSource, ref: string, opts: { artifact?: string } = {}): Promise<RunRecord> {
  const files = childPath(ref, 'files');
  const paths = {
    config: childPath(files, 'config.yaml'),
    summary: childPath(files, 'wandb-summary.json'),
    metadata: childPath(files, 'wandb-metadata.json'),
  };
  const [config, summary, metadata] = await Promise.all([
    readSourceText(source, paths.config),
    readSourceText(source, paths.summary),
    readSourceText(source, paths.metadata),
  ]);
  if (config === undefined && summary === undefined && metadata === undefined) {
    const dir = source.describe(ref);
    throw new InputError(`W&B run ${dir} has no files/config.yaml, files/wandb-summary.json or files/wandb-metadata.json: it is an offline run that was never synced`, {
      location: { file: dir },
      hint: `run \`wandb sync ${dir}\` and commit the files it writes under files/`,
    });
  }
  const configured = config === undefined ? undefined : configParams(parseYaml(config, source.describe(paths.config)));
  const metrics = summary === undefined ? {} : summaryMetrics(parseSummary(summary, source.describe(paths.summary)));
  const meta = metadata === undefined ? { tags: {}, startTime: undefined } : interpretMetadata(parseJson(metadata, source.describe(paths.metadata)));
  // MLflow's limits on access (values.ts). JSON files are located by file only: locating a
  // node re-parses the document (see portable.ts); YAML keeps its positions.
  const inFile = (path: string) => () => ({ file: source.describe(path) });

  const model = opts.artifact !== undefined ? await overrideModel(source, opts.artifact) : undefined;
  const noSignature: SignatureState = {
    state: 'unavailable',
    reason: 'W&B runs record no model signature; set artifact: to an MLflow model directory, or use a portable run record with a signature',
  };
  const record: RunRecord = {
    format: 'wandb',
    ref,
    runId: await runId(source, ref),
    params: memoryValues(configured?.params ?? {}, { kind: 'param', where: configured?.where ?? inFile(paths.config) }),
    metrics: memoryValues(metrics, { kind: 'metric', where: inFile(paths.summary) }),
    tags: memoryValues(meta.tags, { kind: 'tag', where: inFile(paths.metadata) }),
    signature: model?.signature ?? noSignature,
    history: noHistory,
  };
  if (meta.startTime !== undefined) record.startTime = meta.startTime;
  if (model?.artifact !== undefined) record.artifact = model.artifact;
  return record;
}

/** From `run-<id>.wandb` (reliable), else the directory name, else the directory name whole (`latest-run` copies). */
async function runId(source: FileSource, ref: string): Promise<string> {
  const log = ((await source.list(ref)) ?? []).map((n) => RUN_LOG.exec(n)?.[1]).find((id) => id !== undefined);
  if (log !== undefined) return log;
  // An S3 prefix is the source root itself (ref ''): its own name is the directory name.
  const dir = baseName(ref === '' ? source.describe('').replace(/\/+$/, '') : ref);
  return RUN_DIR.exec(dir)?.[1] ?? dir;
}

/** W&B keeps metric history only in the binary run log, which is not read. */
async function* noHistory(): AsyncGenerator<MetricPoint> {}
