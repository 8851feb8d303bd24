import { describe, expect, it } from 'vitest';
import { humanDuration, parseDuration } from '../../../src/policy/checks/soak';
import { check, evaluate, ids, NOW, promotion } from './fixtures';

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe('soak.minTimeInStage', () => {
  it('passes at and after the duration (inclusive), with human durations', async () => {
    const r = check(await evaluate(promotion({ minTimeInStage: '24h' }, { entered: hoursAgo(24) })), 'soak.minTimeInStage');
    expect(r).toMatchObject({ status: 'pass', message: 'v3 has been in Staging for 1d (at least 24h required)', actual: '1d', expected: '24h' });
  });

  it('fails before the duration, saying when it becomes eligible', async () => {
    const r = check(await evaluate(promotion({ minTimeInStage: '24h' }, { entered: hoursAgo(3.5) })), 'soak.minTimeInStage');
    expect(r.status).toBe('fail');
    expect(r.message).toBe('v3 has been in Staging for 3h 30m, less than the 24h required (eligible from 2026-11-23T06:30:00.000Z)');
  });

  it('fails closed when nobody knows when the version entered its stage', async () => {
    const unknown = check(await evaluate(promotion({ minTimeInStage: '24h' })), 'soak.minTimeInStage');
    expect(unknown).toMatchObject({ status: 'fail', message: 'could not evaluate: no record of when v3 entered Staging' });
    const broken = check(await evaluate(promotion({ minTimeInStage: '24h' }, { entered: new Error('git log failed') })), 'soak.minTimeInStage');
    expect(broken.message).toBe('could not evaluate: git log failed');
  });

  it('does not apply to rollbacks', async () => {
    const f = promotion({ minTimeInStage: '24h' });
    f.transition = { ...f.transition, from: 'Archived', via: 'rollback' };
    expect(ids(await evaluate(f))).not.toContain('soak.minTimeInStage');
  });
});

describe('durations', () => {
  it('parses what ms parses and refuses the rest', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('prints the two largest units without rounding up', () => {
    expect(humanDuration(5_400_000)).toBe('1h 30m');
    expect(humanDuration(7_199_000)).toBe('1h 59m');
    expect(humanDuration(2 * 86_400_000 + 3 * 3_600_000 + 5 * 60_000)).toBe('2d 3h');
    expect(humanDuration(45_000)).toBe('45s');
    expect(humanDuration(-5)).toBe('0s');
  });
});
