/**
 * The run family: `run.exists`, `run.status`, `tag:<key>.required`, `tag:<key>.match`,
 * `param:<key>.required`. The run is read only when the policy's rules need it.
 */
import { compileTagPattern, isRegExp } from '../tagPattern';
import { MAX_TAG_VALUE_CHARS } from '../../runs/limits';
import type { RunRecord, RunValues } from '../../runs/types';
import type { StageRules } from '../types';
import { runUnavailable, type Loaded } from './sources';
import type { RuleInput } from './input';
import { cannotEvaluate, fail, pass, type RawCheck } from './verdict';
import { runSourceCheck } from './runSource';

/** Does any rule of this target read the run? */
export function needsRun(rules: StageRules): boolean {
  return Boolean(
    rules.run?.status !== undefined ||
      rules.run?.source !== undefined ||
      rules.tags?.required?.length ||
      Object.keys(rules.tags?.match ?? {}).length ||
      rules.params?.required?.length ||
      rules.signature?.required ||
      rules.signature?.compatibleWith !== undefined ||
      rules.metrics?.length,
  );
}

export async function runChecks(input: RuleInput): Promise<RawCheck[]> {
  const { rules } = input;
  if (!needsRun(rules)) return [];
  const loaded = await input.sources.run();
  const ref = input.subject?.run ?? `of v${input.transition.version}`;
  const out: RawCheck[] = [runExists(loaded, ref)];
  const statuses = rules.run?.status === undefined ? undefined : ([] as string[]).concat(rules.run.status);
  if (statuses) out.push(withRun(loaded, 'run.status', (run) => runStatus(run, statuses)));
  if (rules.run?.source === 'verified') out.push(await runSourceCheck(loaded, input));
  for (const key of rules.tags?.required ?? []) {
    const id = `tag:${key}.required`;
    out.push(await withValue(input, loaded, id, (run) => run.tags, key, (value) => required(id, 'tag', key, value)));
  }
  for (const [key, pattern] of Object.entries(rules.tags?.match ?? {})) {
    const id = `tag:${key}.match`;
    const re = compileTagPattern(pattern);
    if (re instanceof Error) {
      const why = isRegExp(pattern) ? 'cannot run in linear time' : 'is not a valid regular expression';
      out.push(withRun(loaded, id, () => cannotEvaluate(id, `tags.match for ${key} ${why}: ${re.message}`, { expected: pattern })));
      continue;
    }
    out.push(await withValue(input, loaded, id, (run) => run.tags, key, (value) => tagMatch(key, pattern, re, value)));
  }
  for (const key of rules.params?.required ?? []) {
    const id = `param:${key}.required`;
    out.push(await withValue(input, loaded, id, (run) => run.params, key, (value) => required(id, 'param', key, value)));
  }
  return out;
}

/** Judges one value of the run, read by key; fails closed when the run or the value cannot be read. */
async function withValue<T>(input: RuleInput, loaded: Loaded<RunRecord>, id: string, kind: (run: RunRecord) => RunValues<T>, key: string, judge: (value: T | undefined) => RawCheck): Promise<RawCheck> {
  if (!loaded.ok) return cannotEvaluate(id, runUnavailable(loaded));
  const value = await input.sources.value(kind(loaded.value), key);
  return value.ok ? judge(value.value) : cannotEvaluate(id, value.message);
}

/** Runs `judge` on the run, or fails closed when the run could not be read. */
export function withRun(loaded: Loaded<RunRecord>, id: string, judge: (run: RunRecord) => RawCheck): RawCheck {
  return loaded.ok ? judge(loaded.value) : cannotEvaluate(id, runUnavailable(loaded));
}

function runExists(loaded: Loaded<RunRecord>, ref: string): RawCheck {
  const id = 'run.exists';
  if (!loaded.ok) return loaded.notFound ? fail(id, `run ${ref} not found`) : cannotEvaluate(id, loaded.message);
  const run = loaded.value;
  if (run.deleted) return fail(id, `run ${ref} (${run.runId}) is marked deleted in its tracker; restore it or register another run`);
  return pass(id, `run ${ref} (${run.runId}) was read`, { actual: run.runId });
}

function runStatus(run: RunRecord, allowed: string[]): RawCheck {
  const id = 'run.status';
  const expected = allowed.length === 1 ? allowed[0] : allowed;
  if (run.status === undefined) {
    return fail(
      id,
      `the run records no status (expected ${allowed.join(' or ')}); W&B local runs do not record one: export a portable run record with "status", or drop run.status from the rule`,
      { expected },
    );
  }
  const ok = allowed.some((s) => s.toUpperCase() === run.status);
  return ok
    ? pass(id, `run status is ${run.status}`, { actual: run.status, expected })
    : fail(id, `run status is ${run.status}, expected ${allowed.join(' or ')}`, { actual: run.status, expected });
}

function required(id: string, kind: 'tag' | 'param', key: string, value: string | undefined): RawCheck {
  if (value === undefined) return fail(id, `${kind} ${key} is missing`);
  if (value.trim() === '') return fail(id, `${kind} ${key} is empty`, { actual: value });
  return pass(id, `${kind} ${key} is ${quote(value)}`, { actual: value });
}

function tagMatch(key: string, pattern: string, re: Exclude<ReturnType<typeof compileTagPattern>, Error>, value: string | undefined): RawCheck {
  const id = `tag:${key}.match`;
  if (value === undefined) return fail(id, `tag ${key} is missing (it must match ${pattern})`, { expected: pattern });
  if (value.length > MAX_TAG_VALUE_CHARS) {
    return cannotEvaluate(id, `tag ${key} is ${value.length} characters, longer than MLflow's ${MAX_TAG_VALUE_CHARS.toLocaleString('en-US')}-character limit for a tag value`, { expected: pattern });
  }
  return re.test(value)
    ? pass(id, `tag ${key} ${quote(value)} matches ${pattern}`, { actual: value, expected: pattern })
    : fail(id, `tag ${key} ${quote(value)} does not match ${pattern}`, { actual: value, expected: pattern });
}

/** Long values are cut in messages (they stay whole in `actual`). */
function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}
