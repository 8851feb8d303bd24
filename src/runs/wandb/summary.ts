/**
 * W&B `files/wandb-summary.json` → metrics. Both writers emit bare `NaN`, `Infinity` and
 * `-Infinity` tokens, which JSON.parse rejects, so those tokens (outside strings) are read as
 * numbers. Keys starting with `_` are W&B's own (`_step`, `_runtime`, `_timestamp`, `_wandb`);
 * only numbers are metrics; media objects (`{"_type": "table-file", …}`) are skipped; nested
 * numeric objects (`define_metric` summaries such as `{min, max, last}`) flatten with `.`.
 */
import { InputError } from '../../errors';
import { parseJson, typeName, type ParsedDocument } from '../../schema/document';
import { setOwn } from '../setOwn';

/** Stands for a non-finite token while JSON.parse runs; no real summary string looks like it. */
const SENTINEL = '\u0000modelgate-nonfinite:';
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Parses a summary, accepting the bare non-finite tokens. */
export function parseSummary(text: string, file: string): ParsedDocument {
  try {
    return parseJson(text, file);
  } catch (err) {
    const replaced = replaceNonFinite(text);
    if (replaced === text) throw err;
    const doc = parseJson(replaced, file);
    return { ...doc, value: revive(doc.value) };
  }
}

/** Quotes bare NaN / Infinity / -Infinity tokens that stand outside strings. */
function replaceNonFinite(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    for (const token of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(token, i)) {
        out += text.slice(from, i) + JSON.stringify(SENTINEL + token);
        i += token.length - 1;
        from = i + 1;
        break;
      }
    }
  }
  return out + text.slice(from);
}

function revive(v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith(SENTINEL)) return NON_FINITE[v.slice(SENTINEL.length)] ?? v;
  if (Array.isArray(v)) return v.map(revive);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, revive(x));
    return out;
  }
  return v;
}

export function summaryMetrics(doc: ParsedDocument): Record<string, number> {
  const root = doc.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new InputError(`wandb-summary.json must be a JSON object, got ${typeName(root)}`, { location: doc.locate([]) });
  }
  const metrics: Record<string, number> = {};
  collect(metrics, '', root as Record<string, unknown>);
  return metrics;
}

function collect(out: Record<string, number>, prefix: string, obj: Record<string, unknown>): void {
  if ('_type' in obj) return; // a media or table object, not a metric
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith('_')) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') setOwn(out, name, value);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) collect(out, name, value as Record<string, unknown>);
  }
}
