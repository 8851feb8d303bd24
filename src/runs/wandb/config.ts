/**
 * W&B `files/config.yaml` → params. Each top-level key wraps its value as `{value: …}` (legacy
 * writers add `desc:`); `wandb_version` and `_wandb` (W&B internals) are skipped. Nested maps
 * are flattened with `.` (`model.params.learning_rate`, as the W&B UI names them), and values
 * become strings: strings as they are, anything else as its JSON text (`0.05`, `true`, `null`,
 * `["mae","rmse"]`), non-finite numbers as `NaN`, `Infinity`, `-Infinity`.
 */
import { InputError, type SourceLocation } from '../../errors';
import type { ParsedDocument } from '../../schema/document';
import { typeName } from '../../schema/document';
import { setOwn } from '../setOwn';

const INTERNAL_KEYS = new Set(['wandb_version', '_wandb']);

type Obj = Record<string, unknown>;

function isMapping(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ConfigParams {
  params: Record<string, string>;
  /** Where a param's value is in config.yaml (for an error naming its line). */
  where: (key?: string) => SourceLocation;
}

export function configParams(doc: ParsedDocument): ConfigParams {
  const root = doc.value;
  const params: Record<string, string> = {};
  const into: Flattening = { out: params, paths: new Map() };
  const result: ConfigParams = { params, where: (key) => doc.locate((key === undefined ? undefined : into.paths.get(key)) ?? []) };
  if (root === null || root === undefined) return result; // an empty file
  if (!isMapping(root)) {
    throw new InputError(`W&B config.yaml must be a mapping of config keys, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  for (const [key, entry] of Object.entries(root)) {
    if (INTERNAL_KEYS.has(key)) continue;
    const wrapped = isMapping(entry) && 'value' in entry;
    flatten(into, key, wrapped ? entry.value : entry, wrapped ? [key, 'value'] : [key]);
  }
  return result;
}

interface Flattening {
  out: Record<string, string>;
  paths: Map<string, string[]>;
}

function flatten(into: Flattening, key: string, value: unknown, path: string[]): void {
  if (isMapping(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(into, `${key}.${k}`, v, [...path, k]);
    return;
  }
  setOwn(into.out, key, paramText(value));
  into.paths.set(key, path);
}

/** A config value as param text. */
export function paramText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON would say null
  return JSON.stringify(value) ?? String(value);
}
