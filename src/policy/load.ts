/**
 * Loads policy files (`policies/*.yaml`, SPEC section 4): YAML with positions, the JSON Schema,
 * the semantic checks the schema cannot express (durations, dates, regular expressions, check
 * ids, presets), then merges the presets named in `extends` under the file's own rules. The
 * result's `doc` is the effective policy; `sources` names every file it was made from.
 */
import { compileTagPattern, isRegExp } from './tagPattern';
import ms from 'ms';
import policySchema from '../../schemas/policy.schema.json';
import { InputError, InputErrors } from '../errors';
import { didYouMean } from '../schema/didYouMean';
import { parseYaml, type ParsedDocument, type PathSegment } from '../schema/document';
import { schemaErrors, type JsonSchema } from '../schema/validate';
import { PRESET_PREFIX, presetNames, presetText } from './presets';
import type { LoadedPolicy, MetricRule, PolicyDoc, StageRules, Target } from './types';

/** Nothing but a byte-order mark and whitespace (tested without copying the text). */
const BLANK = /^\uFEFF?\s*$/;

const SCHEMA = policySchema as JsonSchema;

/** Loads every policy file (`*.yaml`/`*.yml`; others are ignored). All problems, all files, at once. */
export function loadPolicies(files: readonly { path: string; text: string }[]): LoadedPolicy[] {
  const errors: InputError[] = [];
  const loaded: { policy: LoadedPolicy; doc: ParsedDocument }[] = [];
  for (const f of files.filter((x) => /\.ya?ml$/.test(x.path))) {
    try {
      loaded.push(loadLocated(f.path, f.text));
    } catch (err) {
      if (err instanceof InputErrors) errors.push(...err.errors);
      else if (err instanceof InputError) errors.push(err);
      else throw err;
    }
  }
  const byName = new Map<string, string>();
  for (const { policy, doc } of loaded) {
    const first = byName.get(policy.doc.name);
    if (first !== undefined) {
      errors.push(
        new InputError(`policy name '${policy.doc.name}' is already used by ${first}`, {
          location: doc.locate(['name']),
          hint: 'give each policy file a name of its own',
        }),
      );
    } else byName.set(policy.doc.name, policy.file);
  }
  throwAll(errors);
  return loaded.map((l) => l.policy);
}

/** Loads one policy file (its presets merged). */
export function loadPolicy(path: string, text: string): LoadedPolicy {
  return loadLocated(path, text).policy;
}

function loadLocated(path: string, text: string): { policy: LoadedPolicy; doc: ParsedDocument } {
  const { doc, policy } = parseOwn(path, text);
  const base = resolveExtends(policy.extends ?? [], [path]);
  return {
    doc,
    policy: { file: path, doc: base ? mergePolicy(base.doc, policy) : policy, sources: unique([path, ...(base?.sources ?? [])]) },
  };
}

function throwAll(errors: InputError[]): void {
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new InputErrors(errors);
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

// ---------------------------------------------------------------------------------------------
// One file: parse, schema, semantics

function parseOwn(file: string, text: string): { doc: ParsedDocument; policy: PolicyDoc } {
  if (BLANK.test(text)) throw emptyPolicy(file);
  const doc = parseYaml(text, file);
  if (doc.value === null || doc.value === undefined) throw emptyPolicy(file);
  const errors = schemaErrors(SCHEMA, doc);
  errors.push(...semanticErrors(doc));
  throwAll(errors);
  return { doc, policy: doc.value as PolicyDoc };
}

function emptyPolicy(file: string): InputError {
  return new InputError(`empty policy file: ${file} has no content`, {
    location: { file, line: 1, column: 1 },
    hint: 'write apiVersion: modelgate/v1, kind: Policy, name: <name> and rules (or delete the file)',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks beyond the schema; each guards its own types so schema errors do not cascade. */
function semanticErrors(doc: ParsedDocument): InputError[] {
  const value = doc.value;
  if (!isRecord(value)) return [];
  const errors: InputError[] = [];
  const err = (path: PathSegment[], message: string, hint?: string, key = false) =>
    errors.push(new InputError(message, { location: doc.locate(path, { key }), hint }));

  if (Array.isArray(value.extends)) {
    value.extends.forEach((name: unknown, i: number) => {
      if (typeof name !== 'string' || presetText(name) !== undefined) return;
      const near = didYouMean(name, presetNames());
      err(['extends', i], `unknown preset '${name}'`, `${near ? `did you mean '${near}'? ` : ''}presets: ${presetNames().join(', ')}`);
    });
  }

  if (isRecord(value.rules)) {
    for (const [target, rules] of Object.entries(value.rules)) {
      if (target.startsWith('@') && !/^@[A-Za-z0-9_-]{1,64}$/.test(target)) {
        err(['rules', target], `'${target}' is not a valid alias`, 'alias rules are written "@" followed by letters, digits, _ or -, e.g. "@champion"', true);
      }
      if (isRecord(rules)) errors.push(...ruleErrors(doc, ['rules', target], rules));
    }
  }

  if (isRecord(value.enforcement) && isRecord(value.enforcement.overrides)) {
    for (const id of Object.keys(value.enforcement.overrides)) {
      const problem = checkIdProblem(id);
      if (problem) err(['enforcement', 'overrides', id], problem.message, problem.hint, true);
    }
  }

  if (Array.isArray(value.waivers)) {
    value.waivers.forEach((w: unknown, i: number) => {
      if (!isRecord(w)) return;
      if (typeof w.check === 'string') {
        const problem = checkIdProblem(w.check);
        if (problem) err(['waivers', i, 'check'], problem.message, problem.hint);
      }
      if (typeof w.expires === 'string' && !isExpiry(w.expires)) {
        err(['waivers', i, 'expires'], `expires '${w.expires}' is not a date or timestamp`, 'write a date YYYY-MM-DD (the waiver ends after that day, UTC) or an ISO timestamp with a zone, e.g. 2026-12-31T18:00:00Z');
      }
    });
  }
  return errors;
}

function ruleErrors(doc: ParsedDocument, at: PathSegment[], rules: Record<string, unknown>): InputError[] {
  const errors: InputError[] = [];
  const err = (path: PathSegment[], message: string, hint?: string) =>
    errors.push(new InputError(message, { location: doc.locate([...at, ...path]), hint }));

  if (typeof rules.minTimeInStage === 'string') {
    const problem = durationProblem(rules.minTimeInStage);
    if (problem) err(['minTimeInStage'], `minTimeInStage '${rules.minTimeInStage}' is not a duration`, problem);
  }

  if (isRecord(rules.tags) && isRecord(rules.tags.match)) {
    for (const [tag, pattern] of Object.entries(rules.tags.match)) {
      if (typeof pattern !== 'string') continue;
      const compiled = compileTagPattern(pattern);
      if (compiled instanceof Error) {
        // Not a regular expression at all, or one only a backtracking engine can run.
        const invalid = !isRegExp(pattern);
        err(
          ['tags', 'match', tag],
          invalid
            ? `invalid regular expression for tag '${tag}': ${JSON.stringify(pattern)}: ${compiled.message}`
            : `tags.match pattern ${JSON.stringify(pattern)} for tag '${tag}' cannot run in linear time: ${compiled.message}`,
          'patterns run on RE2 (no backreferences, lookahead or lookbehind, repeat counts up to 1000); write it in single quotes, e.g. \'^[0-9a-f]{40}$\' (in double quotes, backslashes must be doubled)',
        );
      }
    }
  }

  if (Array.isArray(rules.metrics)) {
    rules.metrics.forEach((m: unknown, i: number) => {
      if (!isRecord(m)) return;
      const relative = RELATIVE_KEYS.find((k) => m[k] !== undefined);
      if (relative && m.baseline === undefined) {
        err(['metrics', i, relative], `'${relative}' compares with a baseline, but the metric rule has none`, 'add baseline: Production (or a stage or "@alias") to say which version to compare with');
      }
      if (typeof m.min === 'number' && typeof m.max === 'number' && m.min > m.max) {
        err(['metrics', i, 'min'], `min ${m.min} is above max ${m.max}: no value can pass`, 'swap them, or check the direction of the metric');
      }
    });
  }
  return errors;
}

const RELATIVE_KEYS = ['maxDecrease', 'minIncrease', 'maxRelDecrease', 'minRelIncrease'] as const;

// ---------------------------------------------------------------------------------------------
// Durations, dates, check ids

/** A compact duration (`90m`, `24h`, `7d`): a number and a unit, no space; parsed by `ms`. */
const DURATION = /^[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h|d|w)$/;

/** Why `text` is not a soak duration (with the fix), or undefined when it is one. */
export function durationProblem(text: string): string | undefined {
  if (DURATION.test(text) && Number.isFinite(ms(text as ms.StringValue))) return undefined;
  const base = 'write a number and a unit without a space: 90m, 24h, 7d (units s, m, h, d, w)';
  if (text.trim() === '') return base;
  // `ms` also reads long forms ("3 days"); when it does, suggest the compact spelling.
  const value = ms(text as ms.StringValue) as number | undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && compact(value) ? `did you mean '${compact(value)}'? ${base}` : base;
}

function compact(millis: number): string | undefined {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (millis % size === 0) return `${millis / size}${unit}`;
  return undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** `YYYY-MM-DD` (a real calendar day) or an ISO timestamp with a zone. */
export function isExpiry(text: string): boolean {
  const m = DATE.exec(text) ?? TIMESTAMP.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return false;
  return DATE.test(text) || !Number.isNaN(Date.parse(text));
}

/** The stable check ids of SPEC section 4. */
const FIXED_CHECK_IDS = [
  'transition.allowed',
  'transition.single-production',
  'run.exists',
  'run.status',
  'signature.required',
  'signature.compatible',
  'soak.minTimeInStage',
  'approvals.required',
  'artifact.exists',
  'artifact.digest',
  'retention.archived',
  'policy.covered',
  'policy.unchanged',
];
const KEYED_SUFFIXES: Record<string, string[]> = {
  tag: ['required', 'match'],
  param: ['required'],
  metric: ['present', 'min', 'max', 'maxDecrease', 'minIncrease', 'maxRelDecrease', 'minRelIncrease'],
};

/** Why `id` names no check (a waiver or override for it would never apply), or undefined. */
export function checkIdProblem(id: string): { message: string; hint: string } | undefined {
  if (FIXED_CHECK_IDS.includes(id)) return undefined;
  const keyed = /^(tag|param|metric):(.+)\.([^.]*)$/.exec(id);
  const suffixes = keyed ? KEYED_SUFFIXES[keyed[1]!] : undefined;
  if (keyed && suffixes?.includes(keyed[3]!)) return undefined;
  // For keyed ids only the part after the last dot can be wrong: suggest among those suffixes.
  const nearSuffix = keyed && suffixes ? didYouMean(keyed[3]!, suffixes) : undefined;
  const near = keyed && suffixes ? (nearSuffix ? `${keyed[1]}:${keyed[2]}.${nearSuffix}` : undefined) : didYouMean(id, FIXED_CHECK_IDS);
  return {
    message: `unknown check id '${id}'`,
    hint: near ? `did you mean '${near}'?` : 'check ids look like metric:<name>.min, tag:<key>.required, param:<key>.required or run.status (see the list in the README)',
  };
}

// ---------------------------------------------------------------------------------------------
// Presets and merging

interface Resolved {
  doc: PolicyDoc;
  sources: string[];
}

const presetCache = new Map<string, Resolved>();

/** The presets named in `extends`, merged in order; undefined when there are none. */
function resolveExtends(names: readonly string[], chain: readonly string[]): Resolved | undefined {
  let acc: Resolved | undefined;
  for (const name of unique(names)) {
    const preset = resolvePreset(name, chain);
    acc = acc ? { doc: mergePolicy(acc.doc, preset.doc), sources: unique([...acc.sources, ...preset.sources]) } : preset;
  }
  return acc;
}

function resolvePreset(name: string, chain: readonly string[]): Resolved {
  const source = `${PRESET_PREFIX}${name}`;
  if (chain.includes(source)) {
    throw new InputError(`presets extend each other in a cycle: ${[...chain, source].join(' -> ')}`, { location: { file: chain[chain.length - 1]! } });
  }
  const cached = presetCache.get(name);
  if (cached) return structuredClone(cached);
  const text = presetText(name);
  if (text === undefined) throw new InputError(`unknown preset '${name}'`, { location: { file: chain[chain.length - 1]! }, hint: `presets: ${presetNames().join(', ')}` });
  const { policy } = parseOwn(source, text);
  const base = resolveExtends(policy.extends ?? [], [...chain, source]);
  const resolved: Resolved = { doc: base ? mergePolicy(base.doc, policy) : policy, sources: unique([source, ...(base?.sources ?? [])]) };
  presetCache.set(name, resolved);
  return structuredClone(resolved);
}

/**
 * `own` on top of `base`: identity (apiVersion, kind, name, extends, models) from `own`; rules
 * merged per target; retention and enforcement key by key; waivers appended.
 */
export function mergePolicy(base: PolicyDoc, own: PolicyDoc): PolicyDoc {
  const out: PolicyDoc = { ...own };
  if (base.rules || own.rules) {
    const rules: Partial<Record<Target, StageRules>> = { ...base.rules };
    for (const [target, r] of Object.entries(own.rules ?? {}) as [Target, StageRules][]) {
      const b = rules[target];
      rules[target] = b ? mergeRules(b, r) : r;
    }
    out.rules = rules;
  }
  if (base.retention || own.retention) out.retention = { ...base.retention, ...own.retention };
  if (base.enforcement || own.enforcement) {
    const overrides = { ...base.enforcement?.overrides, ...own.enforcement?.overrides };
    const level = own.enforcement?.default ?? base.enforcement?.default;
    out.enforcement = { ...(level ? { default: level } : {}), ...(Object.keys(overrides).length ? { overrides } : {}) };
  }
  if (base.waivers || own.waivers) out.waivers = [...(base.waivers ?? []), ...(own.waivers ?? [])];
  return out;
}

/** Per key, `own` wins; except required tag/param lists (joined), tag patterns and metrics (by name). */
function mergeRules(base: StageRules, own: StageRules): StageRules {
  const out: StageRules = { ...base, ...own };
  if (base.tags && own.tags) {
    const required = joined(base.tags.required, own.tags.required);
    const match = base.tags.match || own.tags.match ? { ...base.tags.match, ...own.tags.match } : undefined;
    out.tags = { ...(required ? { required } : {}), ...(match ? { match } : {}) };
  }
  if (base.params && own.params) {
    const required = joined(base.params.required, own.params.required);
    out.params = required ? { required } : {};
  }
  if (base.metrics && own.metrics) out.metrics = mergeMetrics(base.metrics, own.metrics);
  return out;
}

function joined(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  return a || b ? unique([...(a ?? []), ...(b ?? [])]) : undefined;
}

/** The preset's entries in order, each replaced by the file's entries of the same name; then the file's new ones. */
function mergeMetrics(base: MetricRule[], own: MetricRule[]): MetricRule[] {
  const ownNames = new Set(own.map((m) => m.name));
  const baseNames = new Set(base.map((m) => m.name));
  const out: MetricRule[] = [];
  for (const b of base) {
    if (!ownNames.has(b.name)) out.push(b);
    else if (!out.some((m) => m.name === b.name)) out.push(...own.filter((m) => m.name === b.name));
  }
  out.push(...own.filter((m) => !baseNames.has(m.name)));
  return out;
}
