/** The one shape every run reader (MLflow, W&B, portable JSON; local or S3) produces. */

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type RunFormat = 'mlflow' | 'wandb' | 'json';

export interface MetricPoint {
  step: number;
  /** ms since the epoch. */
  timestamp: number;
  /** May be NaN or ±Infinity. */
  value: number;
}

/** A scalar column type or a nested one (MLflow's DataType / Array / Object / Map). */
export type ColumnType =
  | string
  | { type: 'array'; items: ColumnType }
  | { type: 'object'; properties: Record<string, { type: ColumnType; required: boolean }> }
  | { type: 'map'; values: ColumnType };

export interface ColumnSpec {
  kind: 'column';
  /** Absent for unnamed columns. */
  name?: string;
  type: ColumnType;
  required: boolean;
}

export interface TensorSpec {
  kind: 'tensor';
  name?: string;
  dtype: string;
  /** -1 marks a variable dimension. */
  shape: number[];
}

export type Spec = ColumnSpec | TensorSpec;

export interface ParamSpec {
  name: string;
  type: string;
  default?: unknown;
  shape?: number[] | null;
}

export interface Signature {
  inputs: Spec[] | null;
  outputs: Spec[] | null;
  params: ParamSpec[] | null;
}

/**
 * What is known of a run's model signature:
 * - `found`: parsed;
 * - `absent`: the MLmodel (or record) exists but has no signature (legacy models);
 * - `unavailable`: no MLmodel could be found for the run (e.g. artifacts not in the repo);
 * - `invalid`: found but unparsable (the policy engine fails closed on it).
 */
export type SignatureState =
  | { state: 'found'; signature: Signature; source: string }
  | { state: 'absent'; source: string }
  | { state: 'unavailable'; reason: string }
  | { state: 'invalid'; source: string; error: string };

/** A snapshot's `source` (SPEC section 3.1). */
export interface RunSource {
  tracker: 'mlflow';
  trackingUri: string;
  runId: string;
  modelId?: string;
}

/** What the tracking server says of a snapshotted run now, in RunRecord's terms (check run.source). */
export interface ServerRunView {
  status?: RunStatus | string;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, number>;
  signature: SignatureState;
}

/**
 * One kind of a run's values (params, tags or latest metrics), read on demand by key. Each
 * reader implements it over what it has: an MLflow run directory's listing (a value's file is
 * read when it is asked for), or a record already parsed (portable JSON, W&B files). Limits
 * (MLflow's: 6,000-character params, 8,000-character tags, 10,000 keys of a kind) reject the
 * call that meets them with an InputError naming file and key, so only the checks that needed
 * that value or kind fail closed.
 */
export interface RunValues<T> {
  /** The value of `key`; undefined when the run has none (an own key: never a prototype's). */
  get(key: string): Promise<T | undefined>;
  /** Every key the run may have a value for, from a listing or the record's keys: no value is read. */
  keys(): Promise<string[]>;
  /** Every key with a value (reads them all: `run.source` compares a whole snapshot). */
  all(): Promise<Record<string, T>>;
}

/** A run with every value in hand (what `all()` of each kind gives; tests build runs this way). */
export type PlainRun = Omit<RunRecord, 'params' | 'metrics' | 'tags'> & {
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
};

export interface RunRecord {
  format: RunFormat;
  /** The reference as written in the manifest (`mlruns/1/abc`, `runs/x.json`, `s3://…`). */
  ref: string;
  runId: string;
  experiment?: string;
  name?: string;
  /** Undefined when the format does not say (W&B local dirs). */
  status?: RunStatus;
  /** The tracker marks the run deleted (MLflow `lifecycle_stage: deleted`); `run.exists` fails. */
  deleted?: boolean;
  /** ISO 8601, UTC. */
  startTime?: string;
  endTime?: string;
  /** Read on demand: a policy that judges two params of 10,000 reads two files. */
  params: RunValues<string>;
  /** Latest value of each metric (MLflow rule: greatest step, then timestamp, then value). */
  metrics: RunValues<number>;
  tags: RunValues<string>;
  signature: SignatureState;
  /**
   * Default artifact location for the model: a repo-relative path or `s3://` URI, when the run
   * says where its model is and it is reachable. The manifest's `artifact:` overrides it.
   */
  artifact?: string;
  /** Where a snapshot came from (portable records written by register from a tracking server). */
  source?: RunSource;
  /** Full history of a metric, streamed in file order (bounded memory). */
  history(metric: string): AsyncIterable<MetricPoint>;
}
