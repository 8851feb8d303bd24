import { describe, expect, it } from 'vitest';
import { applyEnforcement, idMatches, levelFor, policyUnchangedCheck, waiverExpiry } from '../../src/policy/enforcement';
import type { RawCheck } from '../../src/policy/checks/verdict';
import type { Waiver } from '../../src/policy/types';
import { check, evaluate, MODEL, NOW, policy, promotion, run } from './checks/fixtures';

const failing = (id: string, file = 'policies/churn.yaml'): RawCheck => ({ id, status: 'fail', message: `${id} failed`, policy: file });
const passing = (id: string, file = 'policies/churn.yaml'): RawCheck => ({ id, status: 'pass', message: `${id} passed`, policy: file });
const scope = (policies = [policy('policies/churn.yaml')], now = NOW) => ({ policies, model: MODEL, version: 7, now });

describe('enforcement levels', () => {
  it('denies by default', () => {
    const [c] = applyEnforcement([failing('metric:val_auc.min')], scope());
    expect(c).toMatchObject({ status: 'fail', level: 'deny', policy: 'policies/churn.yaml' });
  });

  it('an override to warn makes a failing check a warning, and the decision allow', async () => {
    const f = promotion(
      { metrics: [{ name: 'latency_p99_ms', max: 10, direction: 'lower' }] },
      { runs: { 2: run(2), 3: run(3, { metrics: { latency_p99_ms: 12 } }) } },
      { enforcement: { default: 'deny', overrides: { 'metric:latency_p99_ms.max': 'warn' } } },
    );
    const r = await evaluate(f);
    expect(check(r, 'metric:latency_p99_ms.max')).toMatchObject({ status: 'warn', level: 'warn' });
    expect(r.decision).toBe('allow');
  });

  it('the most specific override wins: exact id, then the glob with more literal text', () => {
    const p = policy('p.yaml', { enforcement: { default: 'deny', overrides: { 'metric:*': 'warn', 'metric:val_auc.*': 'deny', 'metric:val_auc.max': 'warn' } } });
    expect(levelFor(p, 'metric:latency.min')).toBe('warn');
    expect(levelFor(p, 'metric:val_auc.min')).toBe('deny');
    expect(levelFor(p, 'metric:val_auc.max')).toBe('warn');
    expect(levelFor(p, 'tag:author.required')).toBe('deny');
    expect(levelFor(policy('q.yaml', { enforcement: { default: 'warn' } }), 'run.exists')).toBe('warn');
  });

  it('check-id globs cross the slashes of metric names', () => {
    expect(idMatches('metric:*', 'metric:auc_by_slice/plan=basic.min')).toBe(true);
    expect(idMatches('metric:auc_by_slice/*.min', 'metric:auc_by_slice/plan=basic.min')).toBe(true);
    expect(idMatches('tag:*', 'metric:val_auc.min')).toBe(false);
  });

  it('a shared check takes the strictest level of the policies that share it', () => {
    const lax = policy('a.yaml', { enforcement: { default: 'warn' } });
    const strict = policy('b.yaml');
    const shared: RawCheck = { id: 'transition.single-production', status: 'fail', message: 'two in Production' };
    expect(applyEnforcement([shared], scope([lax, strict]))[0]).toMatchObject({ status: 'fail', level: 'deny', policy: 'b.yaml' });
    expect(applyEnforcement([shared], scope([lax]))[0]).toMatchObject({ status: 'warn', level: 'warn', policy: 'a.yaml' });
    expect(applyEnforcement([{ ...shared, sharedBy: ['a.yaml'] }], scope([lax, strict]))[0]).toMatchObject({ level: 'warn', policy: 'a.yaml' });
    expect(applyEnforcement([shared], scope([]))[0]).toMatchObject({ status: 'fail', level: 'deny' });
  });
});

describe('waivers', () => {
  const waiver = (w: Partial<Waiver> = {}): Waiver => ({ check: 'metric:val_auc.min', model: MODEL, version: 7, reason: 'holiday data gap', expires: '2026-11-22', approvedBy: 'alice', ...w });
  const withWaivers = (...waivers: Waiver[]) => [policy('policies/churn.yaml', { waivers })];

  it('a date-only expiry is valid through the end of that UTC day', () => {
    const live = applyEnforcement([failing('metric:val_auc.min')], scope(withWaivers(waiver()), new Date('2026-11-22T23:59:59.999Z')));
    expect(live[0]).toMatchObject({ status: 'waived', level: 'deny', waiver: { reason: 'holiday data gap', expires: '2026-11-22', approvedBy: 'alice' } });
    const lapsed = applyEnforcement([failing('metric:val_auc.min')], scope(withWaivers(waiver()), new Date('2026-11-23T00:00:00Z')));
    expect(lapsed[0]).toMatchObject({ status: 'fail', message: 'metric:val_auc.min failed; waiver expired 2026-11-22', waiver: { expired: true } });
  });

  it('a timestamp expiry ends at that instant', () => {
    const w = waiver({ expires: '2026-11-22T10:00:00Z' });
    expect(applyEnforcement([failing('metric:val_auc.min')], scope(withWaivers(w), new Date('2026-11-22T09:59:59Z')))[0]!.status).toBe('waived');
    expect(applyEnforcement([failing('metric:val_auc.min')], scope(withWaivers(w), new Date('2026-11-22T10:00:00Z')))[0]!.status).toBe('fail');
  });

  it('prefers a live waiver over an expired one', () => {
    const r = applyEnforcement([failing('metric:val_auc.min')], scope(withWaivers(waiver({ expires: '2020-01-01' }), waiver({ expires: '2027-01-01' }))));
    expect(r[0]).toMatchObject({ status: 'waived', waiver: { expires: '2027-01-01' } });
  });

  it('matches by check glob, model glob and version', () => {
    const on = (w: Waiver) => applyEnforcement([failing('metric:val_auc.min')], scope(withWaivers(w)))[0]!.status;
    expect(on(waiver({ check: 'metric:*' }))).toBe('waived');
    expect(on(waiver({ model: 'churn-*' }))).toBe('waived');
    expect(on(waiver({ model: undefined, version: undefined }))).toBe('waived');
    expect(on(waiver({ model: 'fraud-*' }))).toBe('fail');
    expect(on(waiver({ version: 8 }))).toBe('fail');
    expect(on(waiver({ check: 'metric:val_auc.max' }))).toBe('fail');
  });

  it('waives a warning too', () => {
    const policies = [policy('policies/churn.yaml', { enforcement: { default: 'warn' }, waivers: [waiver()] })];
    expect(applyEnforcement([failing('metric:val_auc.min')], scope(policies))[0]!.status).toBe('waived');
  });

  it('applies a waiver from any applicable policy', () => {
    const policies = [policy('policies/churn.yaml'), policy('policies/exceptions.yaml', { waivers: [waiver()] })];
    expect(applyEnforcement([failing('metric:val_auc.min')], scope(policies))[0]!.status).toBe('waived');
  });

  it('reports a waiver whose check passed as unused, without changing the check', () => {
    const [c] = applyEnforcement([passing('metric:val_auc.min')], scope(withWaivers(waiver())));
    expect(c).toMatchObject({ status: 'pass', waiver: { reason: 'holiday data gap', unused: true } });
  });

  it('turns a denied transition into an allowed one end to end', async () => {
    const f = promotion(
      { metrics: [{ name: 'val_auc', min: 0.88 }] },
      { runs: { 2: run(2), 3: run(3, { metrics: { val_auc: 0.861 } }) } },
      { waivers: [waiver({ version: 3 })] },
    );
    const r = await evaluate(f);
    expect(check(r, 'metric:val_auc.min')).toMatchObject({ status: 'waived', waiver: { reason: 'holiday data gap' } });
    expect(r.decision).toBe('allow');
  });

  it('parses expiry dates strictly', () => {
    expect(waiverExpiry('2026-12-31')?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(waiverExpiry('2026-02-30')).toBeUndefined();
    expect(waiverExpiry('someday')).toBeUndefined();
    expect(waiverExpiry(new Date('2026-12-31T00:00:00Z'))?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('rollback downgrades', () => {
  it('reports failing checks at warn, except artifact, signature.compatible, retention and approvals', () => {
    const raw = ['metric:val_auc.min', 'tag:author.required', 'artifact.exists', 'artifact.digest', 'signature.compatible', 'retention.archived', 'approvals.required'].map((id) => failing(id));
    const out = applyEnforcement([...raw, passing('run.exists')], { ...scope(), via: 'rollback' });
    const by = Object.fromEntries(out.map((c) => [c.id, `${c.status}/${c.level}`]));
    expect(by).toEqual({
      'metric:val_auc.min': 'warn/warn',
      'tag:author.required': 'warn/warn',
      'artifact.exists': 'fail/deny',
      'artifact.digest': 'fail/deny',
      'signature.compatible': 'fail/deny',
      'retention.archived': 'fail/deny',
      'approvals.required': 'fail/deny',
      'run.exists': 'pass/deny',
    });
  });
});

describe('policy.unchanged', () => {
  it('warns by default, listing the changed files', () => {
    const c = policyUnchangedCheck(['policies/churn.yaml', 'modelgate.yaml'], [policy('policies/churn.yaml')]);
    expect(c).toMatchObject({ id: 'policy.unchanged', status: 'warn', level: 'warn', actual: ['modelgate.yaml', 'policies/churn.yaml'] });
    expect(c.message).toMatch(/modelgate.yaml, policies\/churn.yaml/);
    expect(c.message).toMatch(/the base policies judged this change/);
  });

  it('a base policy may make it deny; enforcement.default alone does not', () => {
    expect(policyUnchangedCheck(['policies/a.yaml'], [policy('policies/org.yaml', { enforcement: { overrides: { 'policy.unchanged': 'deny' } } })])).toMatchObject({
      status: 'fail',
      level: 'deny',
      policy: 'policies/org.yaml',
    });
    expect(policyUnchangedCheck(['policies/a.yaml'], [policy('policies/org.yaml', { enforcement: { default: 'deny' } })]).status).toBe('warn');
  });
});
