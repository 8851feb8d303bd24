/**
 * A check's verdict before enforcement: what the policy family found, not yet the level it is
 * enforced at nor any waiver (see ../enforcement.ts, which turns these into CheckResults).
 */
import type { CheckResult } from '../types';

/** A raw verdict is never `warn` or `waived`: those come from enforcement. */
export type RawStatus = 'pass' | 'fail' | 'skipped';

export interface RawCheck extends Omit<CheckResult, 'status' | 'level' | 'waiver' | 'policy'> {
  status: RawStatus;
  /**
   * The policy file whose rule produced the check. Undefined for checks every applicable policy
   * shares (the default transition graph, single-production, coverage): enforcement then uses
   * the strictest level among them.
   */
  policy?: string;
  /** For a shared check: the policies that share it (default: every applicable policy). */
  sharedBy?: readonly string[];
}

/** Prefix of every fail-closed failure (SPEC section 4). */
export const COULD_NOT_EVALUATE = 'could not evaluate: ';

type Extra = Partial<Pick<RawCheck, 'actual' | 'expected' | 'baseline'>>;

export function pass(id: string, message: string, extra: Extra = {}): RawCheck {
  return { id, status: 'pass', message, ...extra };
}

export function fail(id: string, message: string, extra: Extra = {}): RawCheck {
  return { id, status: 'fail', message, ...extra };
}

/** The check could not be evaluated: a failure, never a pass or a skip. */
export function cannotEvaluate(id: string, why: string, extra: Extra = {}): RawCheck {
  return fail(id, COULD_NOT_EVALUATE + why, extra);
}

export function skipped(id: string, message: string, extra: Extra = {}): RawCheck {
  return { id, status: 'skipped', message, ...extra };
}

/** Numbers as users wrote them; derived values (deltas) rounded to hide float noise. */
export function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  return String(n);
}

export function derived(n: number): string {
  if (!Number.isFinite(n)) return num(n);
  return String(Number(n.toPrecision(12)));
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
