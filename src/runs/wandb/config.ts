/**
 * W&B `files/config.yaml` → params. Each top-level key wraps its value as `{value: …}` (legacy
 * writers add `desc:`); `wandb_version` and `_wandb` (W&B internals) are skipped. Nested maps
 * are flattened with `.` (`model.params.learning_rate`, as the W&B UI names them), and values
 * become strings: strings as they are, anything else as its JSON text (`0.05`, `true`, `null`,
 * `["mae","rmse"]`), non-finite numbers as `NaN`, `Infinity`, `-Infinity`.
 */
import { InputError } from '../../errors';
import type { ParsedDocument } from '../../schema/document';
import { typeName } from '../../schema/document';
import { setOwn } from '../setOwn';
import { refuseKeyCount, refuseLongValue } from '../valueLimits';

const INTERNAL_KEYS = new Set(['wandb_version', '_wandb']);

type Obj = Record<string, unknown>;

function isMapping(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function configParams(doc: ParsedDocument): Record<string, string> {
  const root = doc.value;
  const params: Record<string, string> = {};
  const into: Flattening = { out: params, count: 0, doc };
  if (root === null || root === undefined) return params; // an empty file
  if (!isMapping(root)) {
    throw new InputError(`W&B config.yaml must be a mapping of config keys, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  for (const [key, entry] of Object.entries(root)) {
    if (INTERNAL_KEYS.has(key)) continue;
    const wrapped = isMapping(entry) && 'value' in entry;
    flatten(into, key, wrapped ? entry.value : entry, wrapped ? [key, 'value'] : [key]);
  }
  return params;
}

/** Flattened keys count against MLflow's per-run cap as they are made (a wide map stops early). */
interface Flattening {
  out: Record<string, string>;
  count: number;
  doc: ParsedDocument;
}

function flatten(into: Flattening, key: string, value: unknown, path: string[]): void {
  if (isMapping(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(into, `${key}.${k}`, v, [...path, k]);
    return;
  }
  const text = paramText(value);
  refuseLongValue('param', key, text, () => into.doc.locate(path));
  if (!Object.hasOwn(into.out, key)) refuseKeyCount('param', ++into.count, () => into.doc.locate([]));
  setOwn(into.out, key, text);
}

/** A config value as param text. */
export function paramText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON would say null
  return JSON.stringify(value) ?? String(value);
}
