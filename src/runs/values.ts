/**
 * RunValues over values already in hand (portable records and snapshots, W&B files, tests), with
 * MLflow's limits applied on access like the MLflow reader applies them on its listing: more
 * than 10,000 keys of a kind fails every call on that kind; a param or tag value past its
 * character limit fails the call that asks for it.
 */
import type { InputError, SourceLocation } from '../errors';
import { setOwn } from './setOwn';
import type { PlainRun, RunRecord, RunValues } from './types';
import { refuseKeyCount, refuseLongValue, type ValueKind } from './valueLimits';

export interface MemoryLimits {
  kind: ValueKind;
  /** Where a key (or, without one, the whole kind) is in its file, for the error. */
  where: (key?: string) => SourceLocation;
  /** A refusal of the whole kind found while reading (e.g. too many history points). */
  refusal?: InputError;
}

export function memoryValues<T>(values: Record<string, T>, limits?: MemoryLimits): RunValues<T> {
  const keys = Object.keys(values);
  const admit = (): void => {
    if (!limits) return;
    if (limits.refusal) throw limits.refusal;
    refuseKeyCount(limits.kind, keys.length, () => limits.where());
  };
  const checked = (key: string, value: T): T => {
    if (limits && limits.kind !== 'metric' && typeof value === 'string') refuseLongValue(limits.kind, key, value, () => limits.where(key));
    return value;
  };
  return {
    get: async (key) => {
      admit();
      return Object.hasOwn(values, key) ? checked(key, values[key]!) : undefined;
    },
    keys: async () => {
      admit();
      return [...keys];
    },
    all: async () => {
      admit();
      const out: Record<string, T> = {};
      for (const k of keys) setOwn(out, k, checked(k, values[k]!));
      return out;
    },
  };
}

/** Every value of the run read (for comparisons of whole runs, and tests). */
export async function plainRun(run: RunRecord): Promise<PlainRun> {
  const [params, metrics, tags] = await Promise.all([run.params.all(), run.metrics.all(), run.tags.all()]);
  return { ...run, params, metrics, tags };
}

/** A RunRecord over a plain run's values (no limits: the values were built, not read). */
export function fromPlain(run: PlainRun): RunRecord {
  return { ...run, params: memoryValues(run.params), metrics: memoryValues(run.metrics), tags: memoryValues(run.tags) };
}
