/** `soak.minTimeInStage`: a version must have spent a minimum time in its current stage. */
import ms from 'ms';
import { v, type RuleInput } from './input';
import { cannotEvaluate, fail, pass, type RawCheck } from './verdict';

const SOAK = 'soak.minTimeInStage';

/** `24h`, `7d`, `90m`, `1.5h` (the `ms` library's grammar); undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  // ms() types its argument as a template-literal union; policy text is any string, checked here.
  const n = ms(text as ms.StringValue);
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/**
 * `2d 3h`, `1h 30m`, `45s`: the two largest units, truncated. (ms() rounds to one unit, so
 * 1h 30m would print as "2h" next to a 2h requirement it does not meet.)
 */
export function humanDuration(msec: number): string {
  let rest = Math.max(0, Math.floor(msec));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith('0'));
  return shown.length ? shown.join(' ') : '0s';
}

export async function soakCheck(input: RuleInput): Promise<RawCheck[]> {
  const text = input.rules.minTimeInStage;
  const t = input.transition;
  // SPEC section 7 and `check --all`: soak does not apply to rollbacks nor to drift.
  if (text === undefined || t.via === 'rollback' || t.via === 'drift') return [];
  const required = parseDuration(text);
  if (required === undefined) return [cannotEvaluate(SOAK, `minTimeInStage ${JSON.stringify(text)} is not a duration (write e.g. 30m, 24h, 7d)`, { expected: text })];
  if (t.from === null) {
    return [fail(SOAK, `${v(t.version)} is new in this change: it has spent no time in any stage, less than the ${text} required`, { actual: '0s', expected: text })];
  }
  const stage = t.from;
  const entered = await input.sources.enteredStageAt();
  if (!entered.ok) return [cannotEvaluate(SOAK, entered.message, { expected: text })];
  if (!entered.value) return [cannotEvaluate(SOAK, `no record of when ${v(t.version)} entered ${stage}`, { expected: text })];
  const elapsed = input.now.getTime() - entered.value.getTime();
  const actual = humanDuration(elapsed);
  if (elapsed >= required) {
    return [pass(SOAK, `${v(t.version)} has been in ${stage} for ${actual} (at least ${text} required)`, { actual, expected: text })];
  }
  const eligible = new Date(entered.value.getTime() + required).toISOString();
  return [fail(SOAK, `${v(t.version)} has been in ${stage} for ${actual}, less than the ${text} required (eligible from ${eligible})`, { actual, expected: text })];
}
