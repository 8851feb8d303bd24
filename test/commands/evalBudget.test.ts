/** The per-evaluation budget's parts: the env override, the race, and the verdict past it. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVAL_BUDGET_MS, MAX_TIMER_MS, evalBudgetMs, outOfTime, withinBudget } from '../../src/commands/evalBudget';

describe('evaluation budget', () => {
  it('reads MODELGATE_EVAL_TIMEOUT_MS as milliseconds; anything else is the 5-minute default', () => {
    expect(DEFAULT_EVAL_BUDGET_MS).toBe(300_000);
    expect(evalBudgetMs({ MODELGATE_EVAL_TIMEOUT_MS: '1500' })).toBe(1500);
    for (const raw of [undefined, '', '0', '-5', '1.5', '5m', 'abc']) expect(evalBudgetMs({ MODELGATE_EVAL_TIMEOUT_MS: raw })).toBe(DEFAULT_EVAL_BUDGET_MS);
  });

  it('holds a budget past Node\'s longest timer to it (a longer setTimeout fires at once: every check would time out)', async () => {
    expect(evalBudgetMs({ MODELGATE_EVAL_TIMEOUT_MS: '3000000000' })).toBe(MAX_TIMER_MS);
    expect(await withinBudget(evalBudgetMs({ MODELGATE_EVAL_TIMEOUT_MS: '3000000000' }), new Promise((r) => setTimeout(() => r(1), 30)))).toEqual({ value: 1 });
  });

  it('passes on a value or a rejection in time, and gives up (undefined) on work that outlives the budget', async () => {
    expect(await withinBudget(1000, Promise.resolve(7))).toEqual({ value: 7 });
    await expect(withinBudget(1000, Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const t0 = Date.now();
    let late: (v: number) => void = () => undefined;
    const never = new Promise<number>((r) => (late = r));
    expect(await withinBudget(50, never)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
    late(1); // settling later changes nothing
  });

  it('the verdict past the budget is a deny with one check, evaluation.time, starting "could not evaluate:"', () => {
    const r = outOfTime({ model: 'm', version: 2, from: null, to: 'Staging', kind: 'register' }, 120_000);
    expect(r.decision).toBe('deny');
    expect(r.checks).toEqual([
      {
        id: 'evaluation.time',
        status: 'fail',
        level: 'deny',
        message: 'could not evaluate: judging m v2 took longer than 2 min; nothing was allowed (MODELGATE_EVAL_TIMEOUT_MS sets the budget, in milliseconds)',
      },
    ]);
  });
});
