/**
 * Is a new model's input schema a drop-in replacement for the one serving now? Pure: compares
 * two lists of MLflow input specs and lists every breaking change (SPEC section 4).
 *
 * - Inputs are paired by name when every input on both sides is named, else by position.
 * - Breaking: a removed input; a changed column type, except the widenings integer→long,
 *   integer→double, long→double and float→double (also inside arrays, maps and objects); an
 *   input that was optional and is now required; a new required input (tensors are always
 *   required); a column that became a tensor or the reverse; a tensor dtype change; a tensor
 *   shape of another rank or with a dimension that differs where neither side is -1.
 * - Fine: a new optional input, a required input that became optional, a widening.
 */
import type { ColumnSpec, ColumnType, Spec, TensorSpec } from '../../runs/types';

export interface BreakingChange {
  /** The input's name, or `#<position>` (1-based) for unnamed inputs. */
  input: string;
  change: 'removed' | 'type' | 'became-required' | 'new-required' | 'kind' | 'dtype' | 'shape';
  /** Human text, e.g. `type changed long → integer`. */
  detail: string;
}

export interface Compatibility {
  compatible: boolean;
  breaking: BreakingChange[];
  /** New optional inputs (not breaking; reported for information). */
  added: string[];
}

/** MLflow column types that accept every value of the narrower type. */
const WIDENINGS = new Set(['integer→long', 'integer→double', 'long→double', 'float→double']);

export function compareInputs(before: readonly Spec[], after: readonly Spec[]): Compatibility {
  const pairs = pair(before, after);
  const breaking: BreakingChange[] = [];
  const added: string[] = [];
  for (const { label, old, now } of pairs) {
    if (old && !now) breaking.push({ input: label, change: 'removed', detail: 'removed' });
    else if (!old && now) {
      if (isRequired(now)) breaking.push({ input: label, change: 'new-required', detail: 'new required input' });
      else added.push(label);
    } else if (old && now) breaking.push(...compareSpec(label, old, now));
  }
  return { compatible: breaking.length === 0, breaking, added };
}

/** `tenure: removed; plan: type changed long → integer`. */
export function describeBreaking(changes: readonly BreakingChange[]): string {
  return changes.map((c) => `${c.input}: ${c.detail}`).join('; ');
}

interface Pair {
  label: string;
  old: Spec | undefined;
  now: Spec | undefined;
}

function pair(before: readonly Spec[], after: readonly Spec[]): Pair[] {
  const named = (specs: readonly Spec[]) => specs.every((s) => s.name !== undefined) && new Set(specs.map((s) => s.name)).size === specs.length;
  if (named(before) && named(after)) {
    const byName = new Map(after.map((s) => [s.name!, s]));
    const out: Pair[] = before.map((old) => ({ label: old.name!, old, now: byName.get(old.name!) }));
    const known = new Set(before.map((s) => s.name!));
    for (const now of after) if (!known.has(now.name!)) out.push({ label: now.name!, old: undefined, now });
    return out;
  }
  const out: Pair[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const old = before[i];
    const now = after[i];
    out.push({ label: (now ?? old)?.name ?? `#${i + 1}`, old, now });
  }
  return out;
}

function isRequired(spec: Spec): boolean {
  return spec.kind === 'tensor' ? true : spec.required;
}

function compareSpec(label: string, old: Spec, now: Spec): BreakingChange[] {
  if (old.kind !== now.kind) {
    return [{ input: label, change: 'kind', detail: `changed from a ${old.kind} to a ${now.kind}` }];
  }
  if (old.kind === 'tensor') return compareTensor(label, old, now as TensorSpec);
  return compareColumn(label, old, now as ColumnSpec);
}

function compareColumn(label: string, old: ColumnSpec, now: ColumnSpec): BreakingChange[] {
  const out: BreakingChange[] = typeChanges(old.type, now.type).map((detail) => ({ input: label, change: 'type' as const, detail }));
  if (!old.required && now.required) out.push({ input: label, change: 'became-required', detail: 'was optional, is now required' });
  return out;
}

function typeName(t: ColumnType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'array') return `array<${typeName(t.items)}>`;
  if (t.type === 'map') return `map<${typeName(t.values)}>`;
  return 'object';
}

/** Why a value of type `old` may not be accepted as `now`; empty when it always is. */
function typeChanges(old: ColumnType, now: ColumnType, at = ''): string[] {
  const where = at ? ` at ${at}` : '';
  if (typeof old === 'string' || typeof now === 'string') {
    if (old === now || (typeof old === 'string' && typeof now === 'string' && WIDENINGS.has(`${old}→${now}`))) return [];
    return [`type changed ${typeName(old)} → ${typeName(now)}${where}`];
  }
  if (old.type !== now.type) return [`type changed ${typeName(old)} → ${typeName(now)}${where}`];
  if (old.type === 'array' && now.type === 'array') return typeChanges(old.items, now.items, `${at}[]`);
  if (old.type === 'map' && now.type === 'map') return typeChanges(old.values, now.values, `${at}{}`);
  if (old.type === 'object' && now.type === 'object') return objectChanges(old.properties, now.properties, at);
  return [];
}

type Properties = Extract<ColumnType, { type: 'object' }>['properties'];

function objectChanges(old: Properties, now: Properties, at: string): string[] {
  const out: string[] = [];
  for (const [key, prop] of Object.entries(old)) {
    const path = at ? `${at}.${key}` : key;
    const next = Object.hasOwn(now, key) ? now[key] : undefined;
    if (!next) out.push(`property ${path} removed`);
    else {
      out.push(...typeChanges(prop.type, next.type, path));
      if (!prop.required && next.required) out.push(`property ${path} was optional, is now required`);
    }
  }
  for (const [key, prop] of Object.entries(now)) {
    if (!Object.hasOwn(old, key) && prop.required) out.push(`new required property ${at ? `${at}.${key}` : key}`);
  }
  return out;
}

function compareTensor(label: string, old: TensorSpec, now: TensorSpec): BreakingChange[] {
  const out: BreakingChange[] = [];
  if (old.dtype !== now.dtype) out.push({ input: label, change: 'dtype', detail: `dtype changed ${old.dtype} → ${now.dtype}` });
  const shape = (s: number[]) => `(${s.join(', ')})`;
  const fits = old.shape.length === now.shape.length && old.shape.every((d, i) => d === -1 || now.shape[i] === -1 || d === now.shape[i]);
  if (!fits) out.push({ input: label, change: 'shape', detail: `shape changed ${shape(old.shape)} → ${shape(now.shape)}` });
  return out;
}
