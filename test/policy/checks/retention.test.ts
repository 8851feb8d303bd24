import { describe, expect, it } from 'vitest';
import type { Transition } from '../../../src/transitions/types';
import { check, evaluate, ids, manifest, NOW, policy, type Fixture } from './fixtures';

const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const retained = [policy('policies/base.yaml', { retention: { archivedDays: 30 } })];

function fixture(transition: Fixture['transition'], extra: Partial<Fixture> = {}): Fixture {
  return {
    transition,
    policies: retained,
    head: manifest([{ version: 1, stage: transition.to === null ? 'Archived' : (transition.to as 'Production') }]),
    base: manifest([{ version: 1, stage: 'Archived' }]),
    ...extra,
  };
}
const remove: Fixture['transition'] = { version: 1, kind: 'remove', from: 'Archived', to: null };
const rollback: Fixture['transition'] = { version: 1, kind: 'stage', from: 'Archived', to: 'Production', via: 'rollback' as Transition['via'] };
const drift: Fixture['transition'] = { version: 1, kind: 'stage', from: 'Archived', to: 'Archived', via: 'drift' };

describe('retention.archived', () => {
  it('denies removing a version archived less than N days ago; allows it at N days', async () => {
    const early = await evaluate(fixture(remove, { archived: { 1: daysAgo(12) } }));
    expect(check(early, 'retention.archived')).toMatchObject({ status: 'fail', actual: 12 });
    expect(early.decision).toBe('deny');
    expect(check(await evaluate(fixture(remove, { archived: { 1: daysAgo(30) } })), 'retention.archived').status).toBe('pass');
  });

  it('fails closed when the archive time is unknown', async () => {
    expect(check(await evaluate(fixture(remove)), 'retention.archived')).toMatchObject({ status: 'fail', message: 'could not evaluate: no record of when v1 was archived' });
    expect(check(await evaluate(fixture(remove, { archived: new Error('audit unreadable') })), 'retention.archived').message).toBe('could not evaluate: audit unreadable');
  });

  it('denies rolling back to a version archived more than N days ago, even though other checks are downgraded', async () => {
    const old = await evaluate(fixture(rollback, { archived: { 1: daysAgo(45) } }));
    expect(check(old, 'retention.archived')).toMatchObject({ status: 'fail', level: 'deny' });
    expect(check(old, 'retention.archived').message).toMatch(/past the 30-day retention window: its artifact may be gone/);
    expect(old.decision).toBe('deny');
    expect(check(await evaluate(fixture(rollback, { archived: { 1: daysAgo(10) } })), 'retention.archived').status).toBe('pass');
  });

  it('in drift, fails an archived version inside its window whose artifact is gone', async () => {
    const gone = await evaluate(fixture(drift, { archived: { 1: daysAgo(5) }, artifact: { uri: 's3://m/1/', exists: false } }));
    expect(check(gone, 'retention.archived')).toMatchObject({ status: 'fail' });
    expect(check(gone, 'retention.archived').message).toMatch(/inside its 30-day retention window, but artifact s3:\/\/m\/1\/ does not exist/);
    const there = await evaluate(fixture(drift, { archived: { 1: daysAgo(5) }, artifact: { uri: 's3://m/1/', exists: true } }));
    expect(check(there, 'retention.archived').status).toBe('pass');
    const past = await evaluate(fixture(drift, { archived: { 1: daysAgo(50) }, artifact: new Error('must not be asked') }));
    expect(check(past, 'retention.archived').status).toBe('pass');
  });

  it('does not apply to ordinary promotions or without archivedDays', async () => {
    const f = fixture({ version: 1, kind: 'stage', from: 'Archived', to: 'Staging' });
    expect(ids(await evaluate(f))).not.toContain('retention.archived');
    expect(ids(await evaluate(fixture(remove, { policies: [policy('policies/base.yaml')] })))).not.toContain('retention.archived');
  });
});
