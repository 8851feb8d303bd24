/**
 * MLflow's limits (limits.ts) applied to runs whose values are in hand (portable records and
 * snapshots, W&B files): the same caps and the same kind of error as the MLflow reader, an
 * InputError naming the file and the key, which the policy engine reports as `could not
 * evaluate:` (deny) on the checks that needed the run. `where` is asked only on failure:
 * locating a key in a big document costs a second parse.
 */
import { InputError, formatLocation, type SourceLocation } from '../errors';
import { MAX_PARAM_VALUE_CHARS, MAX_RUN_KEYS, MAX_TAG_VALUE_CHARS } from './limits';

export type ValueKind = 'param' | 'tag' | 'metric';

const fmt = (n: number) => n.toLocaleString('en-US');

/** A key for a message, cut when long (keys come from user files; messages are escaped on output). */
function shown(key: string): string {
  return key.length > 80 ? `${key.slice(0, 77)}...` : key;
}

/** More than MAX_RUN_KEYS params, tags or metrics. */
export function refuseKeyCount(kind: ValueKind, count: number, where: () => SourceLocation): void {
  if (count <= MAX_RUN_KEYS) return;
  throw new InputError(`the run has ${fmt(count)} ${kind}s, more than the ${fmt(MAX_RUN_KEYS)} modelgate reads per run`, {
    location: where(),
    hint: `an MLflow run directory may list at most ${fmt(MAX_RUN_KEYS)} ${kind}s here; log fewer keys, or keep bulk data in artifacts`,
  });
}

/** MLflow's character limit for a param (6,000) or tag (8,000) value. */
export function maxChars(kind: 'param' | 'tag'): number {
  return kind === 'param' ? MAX_PARAM_VALUE_CHARS : MAX_TAG_VALUE_CHARS;
}

/**
 * A param or tag value past MLflow's limit (counted in characters, as MLflow counts). Worded
 * like tags.match's own length check, with the file (and line) at the end: the check's message
 * starts with what is wrong, `could not evaluate: tag data_version is 8001 characters, …`.
 */
export function refuseLongValue(kind: 'param' | 'tag', key: string, value: string, where: () => SourceLocation): void {
  const max = maxChars(kind);
  // Cheap first: fewer UTF-16 units than the limit cannot be more characters.
  if (value.length <= max) return;
  const chars = [...value].length;
  if (chars <= max) return;
  throw new InputError(`${kind} ${shown(key)} is ${chars} characters, longer than MLflow's ${fmt(max)}-character limit for a ${kind} value, in ${formatLocation(where())}`, {
    hint: `MLflow refuses ${kind} values over ${fmt(max)} characters; this value did not come from MLflow as it is`,
  });
}
