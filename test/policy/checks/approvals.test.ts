import { describe, expect, it } from 'vitest';
import { check, evaluate, promotion, type Calls } from './fixtures';

const leads = { required: 1, from: ['@acme/ml-leads', 'alice'] };

describe('approvals.required in a pull request', () => {
  it('counts distinct listed approvers, case-insensitively, and reports who counted', async () => {
    const r = check(
      await evaluate(promotion({ approvals: { required: 2, from: ['Alice', 'bob'] } }, { approvals: { kind: 'pr', approvers: [{ login: 'alice' }, { login: 'ALICE' }, { login: 'Bob' }] } })),
      'approvals.required',
    );
    expect(r).toMatchObject({ status: 'pass', actual: ['alice', 'Bob'], expected: 2 });
  });

  it('expands team entries', async () => {
    const r = await evaluate(promotion({ approvals: leads }, { approvals: { kind: 'pr', approvers: [{ login: 'carol' }] }, teams: { '@acme/ml-leads': ['Carol', 'dave'] } }));
    expect(check(r, 'approvals.required')).toMatchObject({ status: 'pass', actual: ['carol'] });
  });

  it('fails when too few approvers are listed, naming those who do not count', async () => {
    const r = check(
      await evaluate(promotion({ approvals: leads }, { approvals: { kind: 'pr', approvers: [{ login: 'mallory' }] }, teams: { '@acme/ml-leads': ['carol'] } })),
      'approvals.required',
    );
    expect(r).toMatchObject({ status: 'fail', message: '0 of 1 required approvals for Production; mallory approved but is not in approvals.from' });
  });

  it('counts nobody when the PR has no approvals (the author was excluded upstream)', async () => {
    const calls: Calls = [];
    const r = check(await evaluate(promotion({ approvals: leads }, { approvals: { kind: 'pr', approvers: [] } }), calls), 'approvals.required');
    expect(r.status).toBe('fail');
    expect(calls.some((c) => c.startsWith('team:'))).toBe(false); // nobody to look up
  });

  it('fails closed when a team cannot be resolved', async () => {
    const r = await evaluate(promotion({ approvals: leads }, { approvals: { kind: 'pr', approvers: [{ login: 'carol' }] }, teams: { '@acme/ml-leads': new Error('GitHub API: 502') } }));
    expect(check(r, 'approvals.required')).toMatchObject({ status: 'fail', message: 'could not evaluate: could not resolve team @acme/ml-leads: GitHub API: 502' });
    expect(r.decision).toBe('deny');
  });

  it('counts every approver when from is absent', async () => {
    const r = check(await evaluate(promotion({ approvals: { required: 1 } }, { approvals: { kind: 'pr', approvers: [{ login: 'zed' }] } })), 'approvals.required');
    expect(r.status).toBe('pass');
  });
});

describe('approvals.required for a direct command', () => {
  it('counts a listed actor as one approval', async () => {
    const r = check(await evaluate(promotion({ approvals: leads }, { approvals: { kind: 'actor', actor: 'alice' } })), 'approvals.required');
    expect(r).toMatchObject({ status: 'pass', actual: ['alice'] });
  });

  it('denies an actor who is not listed', async () => {
    const r = await evaluate(promotion({ approvals: leads }, { approvals: { kind: 'actor', actor: 'mallory' }, teams: { '@acme/ml-leads': ['carol'] } }));
    expect(check(r, 'approvals.required')).toMatchObject({ status: 'fail', message: 'mallory is not an approver for Production (approvals.from: @acme/ml-leads, alice)' });
    expect(r.decision).toBe('deny');
  });

  it('a lone actor cannot satisfy two required approvals', async () => {
    const r = check(await evaluate(promotion({ approvals: { required: 2, from: ['alice'] } }, { approvals: { kind: 'actor', actor: 'alice' } })), 'approvals.required');
    expect(r.status).toBe('fail');
  });
});

describe('approvals.required outside a pull request', () => {
  it('is skipped, saying CI verifies it', async () => {
    const r = await evaluate(promotion({ approvals: leads }, { approvals: { kind: 'none' } }));
    expect(check(r, 'approvals.required')).toMatchObject({ status: 'skipped' });
    expect(check(r, 'approvals.required').message).toMatch(/^approvals are verified in CI on the pull request/);
    expect(r.decision).toBe('allow');
  });
});
