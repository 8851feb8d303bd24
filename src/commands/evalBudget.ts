/**
 * A wall-clock budget per evaluation (one transition judged), inside the command's own budget
 * (`MODELGATE_TIMEOUT_MS`, cli/signals.ts): a transition whose evaluation takes longer, on a
 * slow S3 or a huge run, becomes a `could not evaluate:` deny of that transition, and the
 * others are still judged. The abandoned work is left to its own timeouts; the CLI and the
 * Action end once they have answered (signals.ts exitWhenDone), so it cannot hold the job.
 */
import { EnvironmentError } from '../errors';
import type { TransitionResult } from '../policy/types';
import type { Transition } from '../transitions/types';

/** Far above any measured evaluation (10,000 params: 2 s) and below the command's 30 minutes. */
export const DEFAULT_EVAL_BUDGET_MS = 5 * 60 * 1000;
export const EVAL_BUDGET_ENV = 'MODELGATE_EVAL_TIMEOUT_MS';
export const EVAL_BUDGET_CHECK = 'evaluation.time';

/** `MODELGATE_EVAL_TIMEOUT_MS` (milliseconds), else the default; read like MODELGATE_TIMEOUT_MS. */
export function evalBudgetMs(env: Record<string, string | undefined>): number {
  return budgetMs(env[EVAL_BUDGET_ENV], DEFAULT_EVAL_BUDGET_MS);
}

/** Node's longest timer (about 24.8 days): a longer one fires at once, so larger values are held to it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A positive whole number of milliseconds, at most MAX_TIMER_MS; anything else is the default. */
export function budgetMs(raw: string | undefined, dflt: number): number {
  return raw !== undefined && /^[1-9][0-9]*$/.test(raw.trim()) ? Math.min(Number(raw), MAX_TIMER_MS) : dflt;
}

/** `work`'s value, or undefined when it has not settled within `ms` (its rejection is passed on). */
export async function withinBudget<T>(ms: number, work: Promise<T>): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // an abandoned evaluation's later failure is nobody's to report
  }
}

function duration(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The verdict of a transition whose evaluation ran past its budget: deny, nothing judged trusted. */
export function outOfTime(t: Transition, ms: number): Omit<TransitionResult, 'file' | 'line'> {
  return {
    ...t,
    decision: 'deny',
    checks: [
      {
        id: EVAL_BUDGET_CHECK,
        status: 'fail',
        level: 'deny',
        message: `could not evaluate: judging ${t.model} v${t.version} took longer than ${duration(ms)}; nothing was allowed (${EVAL_BUDGET_ENV} sets the budget, in milliseconds)`,
      },
    ],
  };
}

/** Where a verdict is kept for good (`record`), running out of time is an environment failure (exit 3), not a deny. */
export function outOfTimeFault(t: Transition, ms: number): EnvironmentError {
  return new EnvironmentError(`judging ${t.model} v${t.version} took longer than ${duration(ms)}: nothing was recorded`, {
    hint: `re-run once S3 and the tracking server answer in time (${EVAL_BUDGET_ENV} sets the budget, in milliseconds)`,
  });
}
