import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MetricRule } from '../../../src/policy/types';
import { check, evaluate, ids, manifest, promotion, run, type Calls } from './fixtures';

const withMetrics = (rules: MetricRule[], mine: Record<string, number>, champion: Record<string, number> = {}) =>
  promotion({ metrics: rules }, { runs: { 2: run(2, { metrics: champion }), 3: run(3, { metrics: mine }) } });

describe('absolute metric bounds', () => {
  it('passes and fails min with the latest value as actual', async () => {
    const ok = await evaluate(withMetrics([{ name: 'val_auc', min: 0.88 }], { val_auc: 0.8862 }));
    expect(check(ok, 'metric:val_auc.min')).toMatchObject({ status: 'pass', actual: 0.8862, expected: 0.88, policy: 'policies/churn.yaml' });
    expect(check(ok, 'metric:val_auc.present').status).toBe('pass');
    const bad = await evaluate(withMetrics([{ name: 'val_auc', min: 0.88 }], { val_auc: 0.861 }));
    expect(check(bad, 'metric:val_auc.min')).toMatchObject({ status: 'fail', level: 'deny', message: 'val_auc 0.861 is below 0.88', actual: 0.861 });
    expect(bad.decision).toBe('deny');
  });

  it('passes and fails max', async () => {
    const rule: MetricRule = { name: 'latency_p99_ms', max: 10, direction: 'lower' };
    expect(check(await evaluate(withMetrics([rule], { latency_p99_ms: 9.5 })), 'metric:latency_p99_ms.max').status).toBe('pass');
    const bad = check(await evaluate(withMetrics([rule], { latency_p99_ms: 12 })), 'metric:latency_p99_ms.max');
    expect(bad).toMatchObject({ status: 'fail', message: 'latency_p99_ms 12 is above 10' });
  });

  it('treats bounds as inclusive', async () => {
    const r = await evaluate(withMetrics([{ name: 'm', min: 0.88, max: 0.88 }], { m: 0.88 }));
    expect(check(r, 'metric:m.min').status).toBe('pass');
    expect(check(r, 'metric:m.max').status).toBe('pass');
  });

  it('fails every bound on NaN and infinities', async () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      const r = await evaluate(withMetrics([{ name: 'val_auc', min: 0.5, max: 1 }], { val_auc: value }));
      expect(check(r, 'metric:val_auc.min').status).toBe('fail');
      expect(check(r, 'metric:val_auc.max').status).toBe('fail');
    }
    const r = await evaluate(withMetrics([{ name: 'val_auc', min: 0.5 }], { val_auc: NaN }));
    expect(check(r, 'metric:val_auc.min')).toMatchObject({ message: 'val_auc is NaN', actual: 'NaN' }); // JSON-safe
  });

  it('fails a missing metric unless optional', async () => {
    const missing = await evaluate(withMetrics([{ name: 'val_auc', min: 0.5 }], {}));
    expect(check(missing, 'metric:val_auc.present')).toMatchObject({ status: 'fail' });
    expect(ids(missing)).not.toContain('metric:val_auc.min');
    const optional = await evaluate(withMetrics([{ name: 'val_auc', min: 0.5, optional: true }], {}));
    expect(check(optional, 'metric:val_auc.present')).toMatchObject({ status: 'pass', message: 'val_auc is not logged (optional)' });
    expect(optional.decision).toBe('allow');
  });
});

describe('glob metrics', () => {
  it('applies the bound to every matching metric under its own id', async () => {
    const r = await evaluate(
      withMetrics([{ name: 'auc_by_slice/*', min: 0.8 }], { 'auc_by_slice/plan=basic': 0.84, 'auc_by_slice/plan=pro': 0.79, val_auc: 0.1 }),
    );
    expect(check(r, 'metric:auc_by_slice/plan=basic.min')).toMatchObject({ status: 'pass', actual: 0.84 });
    expect(check(r, 'metric:auc_by_slice/plan=pro.min')).toMatchObject({ status: 'fail', actual: 0.79 });
    expect(ids(r)).not.toContain('metric:val_auc.min');
    expect(r.evidence?.metrics).toEqual({ 'auc_by_slice/plan=basic': 0.84, 'auc_by_slice/plan=pro': 0.79 });
  });

  it('fails metric:<glob>.present when nothing matches, unless optional', async () => {
    const none = await evaluate(withMetrics([{ name: 'auc_by_slice/*', min: 0.8 }], { val_auc: 0.9 }));
    expect(check(none, 'metric:auc_by_slice/*.present')).toMatchObject({ status: 'fail', message: 'no metric matches auc_by_slice/*' });
    const optional = await evaluate(withMetrics([{ name: 'auc_by_slice/*', min: 0.8, optional: true }], { val_auc: 0.9 }));
    expect(check(optional, 'metric:auc_by_slice/*.present').status).toBe('pass');
    expect(optional.decision).toBe('allow');
  });
});

describe('relative metric checks', () => {
  const rule: MetricRule = { name: 'val_auc', baseline: 'Production', maxDecrease: 0.005 };

  it('fails a regression beyond maxDecrease, naming the baseline', async () => {
    const r = await evaluate(withMetrics([rule], { val_auc: 0.881 }, { val_auc: 0.893 }));
    expect(check(r, 'metric:val_auc.maxDecrease')).toMatchObject({
      status: 'fail',
      message: 'val_auc fell 0.012 from v2 (0.893), more than 0.005 allowed',
      actual: 0.881,
      expected: 0.005,
      baseline: { version: 2, value: 0.893 },
    });
    expect(r.evidence).toEqual({ metrics: { val_auc: 0.881 }, baseline: { version: 2, metrics: { val_auc: 0.893 } } });
  });

  it('passes a decrease exactly at the bound (inclusive, despite float subtraction)', async () => {
    expect(0.893 - 0.888).toBeGreaterThan(0.005); // the float trap this guards against
    const r = await evaluate(withMetrics([rule], { val_auc: 0.888 }, { val_auc: 0.893 }));
    expect(check(r, 'metric:val_auc.maxDecrease').status).toBe('pass');
  });

  it('property: a change exactly at any decimal bound passes, one step beyond fails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 9_999 }), async (b, d) => {
        fc.pre(b - d >= 0);
        const base = b / 10_000;
        const at = (b - d) / 10_000;
        const bound = d / 10_000;
        const r = await evaluate(withMetrics([{ ...rule, maxDecrease: bound }], { val_auc: at }, { val_auc: base }));
        expect(check(r, 'metric:val_auc.maxDecrease').status).toBe('pass');
        const beyond = await evaluate(withMetrics([{ ...rule, maxDecrease: bound }], { val_auc: (b - d - 1) / 10_000 }, { val_auc: base }));
        expect(check(beyond, 'metric:val_auc.maxDecrease').status).toBe('fail');
      }),
      { numRuns: 150 },
    );
  });

  it('compares with the BASE champion, not the head one', async () => {
    // Head moves v4 into Production alongside; the baseline must stay base's v2.
    const f = withMetrics([rule], { val_auc: 0.881 }, { val_auc: 0.893 });
    f.head = manifest([{ version: 2, stage: 'Archived' }, { version: 3, stage: 'Production' }, { version: 4, stage: 'Production' }]);
    f.runs![4] = run(4, { metrics: { val_auc: 0.5 } });
    const r = await evaluate(f);
    expect(check(r, 'metric:val_auc.maxDecrease')).toMatchObject({ status: 'fail', baseline: { version: 2, value: 0.893 } });
  });

  it('honours direction: lower', async () => {
    const lower: MetricRule = { name: 'latency', baseline: 'Production', maxDecrease: 1, direction: 'lower' };
    const worse = await evaluate(withMetrics([lower], { latency: 12 }, { latency: 10 }));
    expect(check(worse, 'metric:latency.maxDecrease')).toMatchObject({ status: 'fail', message: 'latency rose 2 from v2 (10), more than 1 allowed' });
    const better = await evaluate(withMetrics([lower], { latency: 7 }, { latency: 10 }));
    expect(check(better, 'metric:latency.maxDecrease').status).toBe('pass');
  });

  it('checks minIncrease, maxRelDecrease and minRelIncrease', async () => {
    const rules: MetricRule[] = [{ name: 'val_auc', baseline: 'Production', minIncrease: 0.01, maxRelDecrease: 0.01, minRelIncrease: 0.02 }];
    const r = await evaluate(withMetrics(rules, { val_auc: 0.81 }, { val_auc: 0.8 }));
    expect(check(r, 'metric:val_auc.minIncrease').status).toBe('pass'); // +0.01 exactly
    expect(check(r, 'metric:val_auc.maxRelDecrease').status).toBe('pass');
    expect(check(r, 'metric:val_auc.minRelIncrease')).toMatchObject({ status: 'fail' }); // +1.25% < 2%
    const fell = await evaluate(withMetrics(rules, { val_auc: 0.78 }, { val_auc: 0.8 }));
    expect(check(fell, 'metric:val_auc.maxRelDecrease')).toMatchObject({ status: 'fail', message: 'val_auc fell 0.02 from v2 (0.8) (−2.5%), more than the 1% allowed' });
    expect(check(fell, 'metric:val_auc.minIncrease').status).toBe('fail');
  });

  it('fails relative checks against a baseline of 0', async () => {
    const r = await evaluate(withMetrics([{ name: 'm', baseline: 'Production', maxRelDecrease: 0.1, maxDecrease: 1 }], { m: 0.5 }, { m: 0 }));
    expect(check(r, 'metric:m.maxRelDecrease')).toMatchObject({ status: 'fail' });
    expect(check(r, 'metric:m.maxRelDecrease').message).toMatch(/^could not evaluate: .*is 0/);
    expect(check(r, 'metric:m.maxDecrease').status).toBe('pass');
  });

  it('skips relative checks on a first promotion and says so', async () => {
    const f = withMetrics([{ ...rule, min: 0.5 }], { val_auc: 0.9 });
    f.base = manifest([{ version: 3, stage: 'Staging' }]);
    const r = await evaluate(f);
    expect(check(r, 'metric:val_auc.maxDecrease')).toMatchObject({ status: 'skipped', message: 'no Production version to compare with (first promotion)' });
    expect(check(r, 'metric:val_auc.min').status).toBe('pass');
    expect(r.decision).toBe('allow');
  });

  it('fails closed when the baseline run lacks the metric or cannot be read', async () => {
    const lacks = await evaluate(withMetrics([rule], { val_auc: 0.9 }, { other: 1 }));
    expect(check(lacks, 'metric:val_auc.maxDecrease').message).toMatch(/^could not evaluate: v2 \(Production\) did not log val_auc/);
    const f = withMetrics([rule], { val_auc: 0.9 });
    f.runs![2] = new Error('S3 timed out');
    const unreadable = await evaluate(f);
    expect(check(unreadable, 'metric:val_auc.maxDecrease')).toMatchObject({ status: 'fail', message: 'could not evaluate: the run of v2 (Production): S3 timed out' });
    expect(unreadable.decision).toBe('deny');
  });

  it('fails on a NaN baseline', async () => {
    const r = await evaluate(withMetrics([rule], { val_auc: 0.9 }, { val_auc: NaN }));
    expect(check(r, 'metric:val_auc.maxDecrease')).toMatchObject({ status: 'fail', message: 'val_auc of v2 (Production) is NaN' });
  });

  it('compares with an alias baseline', async () => {
    const f = withMetrics([{ ...rule, baseline: '@champion' }], { val_auc: 0.7 }, { val_auc: 0.9 });
    f.base = manifest([{ version: 2, stage: 'Production' }, { version: 3, stage: 'Staging' }], { champion: 2 });
    expect(check(await evaluate(f), 'metric:val_auc.maxDecrease')).toMatchObject({ status: 'fail', baseline: { version: 2, value: 0.9 } });
  });

  it('reads each run once however many checks need it', async () => {
    const calls: Calls = [];
    await evaluate(withMetrics([{ name: 'a', min: 0, baseline: 'Production', maxDecrease: 1, minIncrease: -1 }, { name: 'b', baseline: 'Production', maxDecrease: 1 }], { a: 1, b: 1 }, { a: 1, b: 1 }), calls);
    expect(calls.filter((c) => c === 'run:3')).toHaveLength(1);
    expect(calls.filter((c) => c === 'run:2')).toHaveLength(1);
  });
});
