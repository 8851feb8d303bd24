/**
 * Metric checks (SPEC section 4): `metric:<name>.present`, `.min`, `.max` (absolute) and
 * `.maxDecrease`, `.minIncrease`, `.maxRelDecrease`, `.minRelIncrease` (relative to the version
 * in `baseline:` in the BASE state).
 *
 * Semantics:
 * - bounds are inclusive; the value judged is the run's latest value of the metric;
 * - Δ is the change in the better direction: `actual − baseline` for `direction: higher`
 *   (default), `baseline − actual` for `lower`; a decrease is −Δ;
 * - `maxDecrease: d` passes when Δ ≥ −d; `minIncrease: i` when Δ ≥ i;
 * - `maxRelDecrease: r` passes when Δ/|baseline| ≥ −r; `minRelIncrease: r` when Δ/|baseline| ≥ r;
 *   a baseline of 0 fails them;
 * - NaN or ±Infinity (actual or baseline) fails every bound;
 * - no version in the baseline target (first promotion), the judged version being that version
 *   (drift), or a rollback: the relative checks are `skipped`, saying why.
 */
import picomatch from 'picomatch';
import type { RunRecord } from '../../runs/types';
import type { MetricRule } from '../types';
import { runUnavailable, type Loaded } from './sources';
import { v, type RuleInput } from './input';
import { cannotEvaluate, derived, fail, num, pass, skipped, type RawCheck } from './verdict';

const ABSOLUTE = ['min', 'max'] as const;
const RELATIVE = ['maxDecrease', 'minIncrease', 'maxRelDecrease', 'minRelIncrease'] as const;
type Relative = (typeof RELATIVE)[number];

export async function metricChecks(input: RuleInput): Promise<RawCheck[]> {
  const rules = input.rules.metrics ?? [];
  if (rules.length === 0) return [];
  const loaded = await input.sources.run();
  const out: RawCheck[] = [];
  for (const rule of rules) out.push(...(await metricRule(input, rule, loaded)));
  return out;
}

/** The check kinds a rule asks for, besides `present`. */
function kindsOf(rule: MetricRule): string[] {
  return [...ABSOLUTE, ...RELATIVE].filter((k) => rule[k] !== undefined);
}

const id = (name: string, kind: string) => `metric:${name}.${kind}`;

export function isGlob(name: string): boolean {
  return /[*?[]/.test(name);
}

const globs = new Map<string, (name: string) => boolean>();

/** Metric names are `/`-separated like paths (MLflow stores them as nested files): `*` stays within a level, `**` crosses. */
function globMatcher(glob: string): (name: string) => boolean {
  let m = globs.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true });
    globs.set(glob, m);
  }
  return m;
}

async function metricRule(input: RuleInput, rule: MetricRule, loaded: Loaded<RunRecord>): Promise<RawCheck[]> {
  if (!loaded.ok) {
    const why = runUnavailable(loaded);
    return ['present', ...kindsOf(rule)].map((k) => cannotEvaluate(id(rule.name, k), why));
  }
  const metrics = loaded.value.metrics;
  const presentId = id(rule.name, 'present');
  const cannot = (why: string, kinds = ['present', ...kindsOf(rule)]) => kinds.map((k) => cannotEvaluate(id(rule.name, k), why));
  if (isGlob(rule.name)) {
    const match = globMatcher(rule.name);
    const listed = await input.sources.keys(metrics);
    if (!listed.ok) return cannot(listed.message);
    // Every matching metric is read: its value is judged and kept as evidence. A key whose
    // file holds no point has no value, so it does not match.
    const found: { name: string; value: Loaded<number | undefined> }[] = [];
    for (const name of listed.value.filter((n) => match(n)).sort()) found.push({ name, value: await input.sources.value(metrics, name) });
    const named = found.filter((f) => !f.value.ok || f.value.value !== undefined);
    if (named.length === 0) {
      return [
        rule.optional
          ? pass(presentId, `no metric matches ${rule.name} (optional)`, { actual: [] })
          : fail(presentId, `no metric matches ${rule.name}`, { actual: [] }),
      ];
    }
    const names = named.map((f) => f.name);
    const out = [pass(presentId, `${names.length} metric${names.length === 1 ? '' : 's'} match ${rule.name}`, { actual: names })];
    for (const { name, value } of named) {
      if (value.ok) out.push(...(await bounds(input, rule, name, value.value!)));
      else out.push(...(kindsOf(rule).length ? kindsOf(rule) : ['present']).map((k) => cannotEvaluate(id(name, k), value.message)));
    }
    return out;
  }
  const read = await input.sources.value(metrics, rule.name);
  if (!read.ok) return cannot(read.message);
  const value = read.value;
  if (value === undefined) {
    return [rule.optional ? pass(presentId, `${rule.name} is not logged (optional)`) : fail(presentId, `${rule.name} is not logged by the run`)];
  }
  return [pass(presentId, `${rule.name} is logged`, { actual: actualOf(value) }), ...(await bounds(input, rule, rule.name, value))];
}

async function bounds(input: RuleInput, rule: MetricRule, name: string, value: number): Promise<RawCheck[]> {
  input.evidence.metric(name, value);
  const out: RawCheck[] = [];
  if (rule.min !== undefined) out.push(absolute(id(name, 'min'), name, value, rule.min, 'min'));
  if (rule.max !== undefined) out.push(absolute(id(name, 'max'), name, value, rule.max, 'max'));
  const kinds = RELATIVE.filter((k) => rule[k] !== undefined);
  if (kinds.length) out.push(...(await relative(input, rule, name, value, kinds)));
  return out;
}

/** NaN and infinities as the strings run records use: JSON has no literal for them (it would print null). */
function actualOf(value: number): number | string {
  return Number.isFinite(value) ? value : num(value);
}

function absolute(checkId: string, name: string, value: number, bound: number, kind: 'min' | 'max'): RawCheck {
  const extra = { actual: actualOf(value), expected: bound };
  if (!Number.isFinite(value)) return fail(checkId, `${name} is ${num(value)}`, extra);
  if (kind === 'min') {
    return value >= bound ? pass(checkId, `${name} ${num(value)} is at least ${num(bound)}`, extra) : fail(checkId, `${name} ${num(value)} is below ${num(bound)}`, extra);
  }
  return value <= bound ? pass(checkId, `${name} ${num(value)} is at most ${num(bound)}`, extra) : fail(checkId, `${name} ${num(value)} is above ${num(bound)}`, extra);
}

/** The baseline value to compare with, or one verdict that stands for every relative check. */
type BaselineValue = { ok: true; version: number; value: number; label: string } | { ok: false; verdict: (checkId: string) => RawCheck };

async function baselineValue(input: RuleInput, rule: MetricRule, name: string): Promise<BaselineValue> {
  const target = rule.baseline;
  const t = input.transition;
  if (target === undefined) return { ok: false, verdict: (c) => cannotEvaluate(c, `a relative bound needs baseline: <Stage|@alias> in the metric rule for ${rule.name}`) };
  if (t.via === 'rollback') {
    return { ok: false, verdict: (c) => skipped(c, `relative checks do not apply to a rollback (their baseline is the version being rolled back)`) };
  }
  const base = await input.sources.baseline(target);
  if (!base.ok) return { ok: false, verdict: (c) => cannotEvaluate(c, `could not find the version in ${target}: ${base.message}`) };
  if (!base.value) return { ok: false, verdict: (c) => skipped(c, `no ${target} version to compare with (first promotion)`) };
  const version = base.value.version.version;
  if (version === t.version) return { ok: false, verdict: (c) => skipped(c, `${v(version)} is itself the ${target} version; nothing to compare with`) };
  const label = `${v(version)} (${target})`;
  const run = await input.sources.baselineRun(base.value);
  if (!run.ok) return { ok: false, verdict: (c) => cannotEvaluate(c, `the run of ${label}: ${runUnavailable(run)}`) };
  const read = await input.sources.value(run.value.metrics, name);
  if (!read.ok) return { ok: false, verdict: (c) => cannotEvaluate(c, `the run of ${label}: ${read.message}`) };
  const value = read.value;
  if (value === undefined) return { ok: false, verdict: (c) => cannotEvaluate(c, `${label} did not log ${name}`) };
  input.evidence.baseline(version, name, value);
  return { ok: true, version, value, label };
}

async function relative(input: RuleInput, rule: MetricRule, name: string, value: number, kinds: Relative[]): Promise<RawCheck[]> {
  const base = await baselineValue(input, rule, name);
  if (!base.ok) return kinds.map((k) => base.verdict(id(name, k)));
  const lower = rule.direction === 'lower';
  return kinds.map((kind) => {
    const checkId = id(name, kind);
    const bound = rule[kind]!;
    const extra = { actual: actualOf(value), expected: bound, baseline: { version: base.version, value: base.value } };
    if (!Number.isFinite(value)) return fail(checkId, `${name} is ${num(value)}`, extra);
    if (!Number.isFinite(base.value)) return fail(checkId, `${name} of ${base.label} is ${num(base.value)}`, extra);
    const delta = lower ? base.value - value : value - base.value;
    const change = changeText(name, delta, lower, base);
    const scale = Math.max(Math.abs(value), Math.abs(base.value));
    switch (kind) {
      case 'maxDecrease':
        return meets(delta, -bound, scale)
          ? pass(checkId, delta < 0 ? `${change}, within the ${num(bound)} allowed` : change, extra)
          : fail(checkId, `${change}, more than ${num(bound)} allowed`, extra);
      case 'minIncrease':
        return meets(delta, bound, scale)
          ? pass(checkId, `${change}, at least the ${num(bound)} required`, extra)
          : fail(checkId, `${change}; an improvement of at least ${num(bound)} is required`, extra);
      case 'maxRelDecrease':
      case 'minRelIncrease': {
        if (base.value === 0) return cannotEvaluate(checkId, `${name} of ${base.label} is 0: a relative change cannot be computed`, extra);
        const rel = `${change} (${signedPercent((value - base.value) / Math.abs(base.value))})`;
        if (kind === 'maxRelDecrease') {
          return meets(delta, -bound * Math.abs(base.value), scale)
            ? pass(checkId, `${rel}, within the ${percent(bound)} allowed`, extra)
            : fail(checkId, `${rel}, more than the ${percent(bound)} allowed`, extra);
        }
        return meets(delta, bound * Math.abs(base.value), scale)
          ? pass(checkId, `${rel}, at least the ${percent(bound)} required`, extra)
          : fail(checkId, `${rel}; an improvement of at least ${percent(bound)} is required`, extra);
      }
    }
  });
}

/**
 * Δ ≥ bound, inclusive. Δ is a float difference, so a change exactly at a bound written in
 * decimal (0.893 − 0.888 vs 0.005) may be off by a few units in the last place; that much
 * (relative to the values compared) is forgiven, nothing more.
 */
function meets(delta: number, bound: number, scale: number): boolean {
  const tolerance = 16 * Number.EPSILON * Math.max(scale, Math.abs(bound));
  return delta >= bound - tolerance;
}

/** "val_auc fell 0.012 from v2 (0.893)" — the verb follows the raw value, not the direction. */
function changeText(name: string, delta: number, lower: boolean, base: { version: number; value: number }): string {
  const from = `from ${v(base.version)} (${num(base.value)})`;
  if (delta === 0) return `${name} is unchanged ${from}`;
  const rawRise = lower ? delta < 0 : delta > 0;
  return `${name} ${rawRise ? 'rose' : 'fell'} ${derived(Math.abs(delta))} ${from}`;
}

/** 0.01 → `1%`. */
function percent(x: number): string {
  return `${derived(x * 100)}%`;
}

/** −0.013437 → `−1.34%`, for a measured relative change (three significant digits). */
function signedPercent(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${String(Number((Math.abs(x) * 100).toPrecision(3)))}%`;
}
