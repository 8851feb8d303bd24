import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Stage } from '../../../src/manifest/types';
import type { Target } from '../../../src/policy/types';
import type { Transition } from '../../../src/transitions/types';
import { check, evaluate, ids, manifest, policy, type Fixture } from './fixtures';

const governed = [policy('policies/base.yaml')];

function move(from: Stage | null, to: Target, extra: Partial<Fixture> & { via?: Transition['via'] } = {}): Fixture {
  const { via, ...rest } = extra;
  const head = manifest([{ version: 3, stage: to.startsWith('@') ? (from ?? 'None') : (to as Stage) }], to.startsWith('@') ? { [to.slice(1)]: 3 } : {});
  return {
    transition: { version: 3, from, to, kind: from === null ? 'register' : to.startsWith('@') ? 'alias' : 'stage', ...(via ? { via } : {}) },
    policies: governed,
    head,
    base: from === null ? undefined : manifest([{ version: 3, stage: from }]),
    ...rest,
  };
}

describe('transition.allowed with the default graph', () => {
  const allowed: [Stage, Stage][] = [['None', 'Staging'], ['Staging', 'Production'], ['Staging', 'Archived'], ['Production', 'Archived'], ['Archived', 'Staging']];
  const denied: [Stage, Stage][] = [['None', 'Production'], ['Archived', 'Production'], ['Production', 'Staging'], ['None', 'Archived'], ['Staging', 'None']];

  it.each(allowed)('allows %s → %s', async (from, to) => {
    const r = await evaluate(move(from, to));
    expect(check(r, 'transition.allowed').status).toBe('pass');
    expect(r.decision).toBe('allow');
  });

  it.each(denied)('denies %s → %s', async (from, to) => {
    const r = await evaluate(move(from, to));
    expect(check(r, 'transition.allowed')).toMatchObject({ status: 'fail', level: 'deny', policy: 'policies/base.yaml' });
    expect(r.decision).toBe('deny');
  });

  it('explains the two denials users hit most', async () => {
    expect(check(await evaluate(move('None', 'Production')), 'transition.allowed').message).toMatch(/skips Staging/);
    expect(check(await evaluate(move('Archived', 'Production')), 'transition.allowed').message).toMatch(/only allowed by `modelgate rollback`/);
  });

  it('treats a version registered straight into a stage as coming from None', async () => {
    expect(check(await evaluate(move(null, 'Staging')), 'transition.allowed').status).toBe('pass');
    expect(check(await evaluate(move(null, 'Production')), 'transition.allowed').status).toBe('fail');
    expect(check(await evaluate(move(null, 'None')), 'transition.allowed').status).toBe('pass');
  });

  it('lets an alias point at a Staging or Production version only', async () => {
    expect(check(await evaluate(move('Staging', '@champion')), 'transition.allowed').status).toBe('pass');
    expect(check(await evaluate(move('Production', '@champion')), 'transition.allowed').status).toBe('pass');
    expect(check(await evaluate(move('Archived', '@champion')), 'transition.allowed').status).toBe('fail');
    expect(check(await evaluate(move('None', '@champion')), 'transition.allowed').status).toBe('fail');
  });
});

describe('transition.allowed with from lists', () => {
  it('a policy may allow None → Production explicitly', async () => {
    const f = move('None', 'Production', { policies: [policy('policies/fast.yaml', { rules: { Production: { from: ['None', 'Staging'] } } })] });
    expect(check(await evaluate(f), 'transition.allowed')).toMatchObject({ status: 'pass', policy: 'policies/fast.yaml' });
  });

  it('each policy judges the move: by its from list, or by the default graph when it has none', async () => {
    const f = move('Staging', 'Production', {
      policies: [
        policy('policies/a.yaml', { rules: { Production: { from: ['Staging'] } } }),
        policy('policies/b.yaml', { rules: { Production: { from: ['None'] } } }),
        policy('policies/c.yaml'),
      ],
    });
    const r = await evaluate(f);
    expect(check(r, 'transition.allowed', 'policies/a.yaml').status).toBe('pass');
    expect(check(r, 'transition.allowed', 'policies/b.yaml')).toMatchObject({ status: 'fail', expected: ['None'] });
    expect(check(r, 'transition.allowed', 'policies/c.yaml')).toMatchObject({ status: 'pass', message: 'Staging → Production is allowed by the default transition graph' });
    expect(r.checks.filter((c) => c.id === 'transition.allowed')).toHaveLength(3);
    expect(r.decision).toBe('deny');
  });

  it("one policy's from list does not relax another policy's default graph", async () => {
    const f = move('None', 'Production', {
      policies: [policy('policies/fast.yaml', { rules: { Production: { from: ['None', 'Staging'] } } }), policy('policies/org.yaml')],
    });
    const r = await evaluate(f);
    expect(check(r, 'transition.allowed', 'policies/fast.yaml').status).toBe('pass');
    expect(check(r, 'transition.allowed', 'policies/org.yaml').status).toBe('fail');
    expect(r.decision).toBe('deny');
  });

  it('a rollback ignores from lists and may bring back an Archived version', async () => {
    const f = move('Archived', 'Production', { via: 'rollback', policies: [policy('policies/a.yaml', { rules: { Production: { from: ['Staging'] } } })] });
    const r = await evaluate(f);
    expect(check(r, 'transition.allowed').status).toBe('pass');
    expect(r.decision).toBe('allow');
  });

  it('drift emits no transition.allowed at all', async () => {
    const f = move('Production', 'Production', { via: 'drift', policies: [policy('policies/a.yaml', { rules: { Production: { from: ['Staging'] } } })] });
    f.base = f.head;
    expect(ids(await evaluate(f))).not.toContain('transition.allowed');
  });
});

describe('removing a version', () => {
  const remove = (from: Stage): Fixture => ({
    transition: { version: 3, from, to: null, kind: 'remove' },
    policies: governed,
    head: manifest([{ version: 3, stage: from }]),
    base: manifest([{ version: 3, stage: from }]),
  });

  it('denies removing a Production or Staging version: archive it first', async () => {
    for (const from of ['Production', 'Staging'] as const) {
      const r = await evaluate(remove(from));
      expect(check(r, 'transition.allowed')).toMatchObject({ status: 'fail' });
      expect(check(r, 'transition.allowed').message).toMatch(/archive it first/);
    }
  });

  it('allows removing a None or Archived version, with no coverage check', async () => {
    for (const from of ['None', 'Archived'] as const) {
      const r = await evaluate(remove(from));
      expect(r.decision).toBe('allow');
      expect(ids(r)).toEqual(['transition.allowed']);
    }
  });
});

describe('transition.single-production', () => {
  it('fails when head ends with two versions in Production, naming them', async () => {
    const f = move('Staging', 'Production');
    f.head = manifest([{ version: 2, stage: 'Production' }, { version: 3, stage: 'Production' }]);
    const r = await evaluate(f);
    expect(check(r, 'transition.single-production')).toMatchObject({ status: 'fail', actual: [2, 3] });
    expect(check(r, 'transition.single-production').message).toBe('v2 and v3 are both in Production; archive v2 in the same change');
  });

  it('passes when the previous version leaves Production in the same change', async () => {
    const f = move('Staging', 'Production');
    f.head = manifest([{ version: 2, stage: 'Archived' }, { version: 3, stage: 'Production' }]);
    expect(check(await evaluate(f), 'transition.single-production').status).toBe('pass');
  });

  it('is not emitted for other targets', async () => {
    expect(ids(await evaluate(move('None', 'Staging')))).not.toContain('transition.single-production');
  });
});

describe('policy.covered', () => {
  it('denies an ungoverned model entering Staging, Production or an alias', async () => {
    for (const [from, to] of [['None', 'Staging'], ['Staging', 'Production'], ['Staging', '@champion']] as const) {
      const r = await evaluate(move(from, to, { policies: [policy('policies/other.yaml', { models: ['fraud-*'] })] }));
      expect(check(r, 'policy.covered')).toMatchObject({ status: 'fail', level: 'deny' });
      expect(check(r, 'policy.covered').message).toMatch(/^no policy governs churn-predictor; an ungoverned model is never promoted/);
      expect(r.decision).toBe('deny');
    }
  });

  it('lets an ungoverned model be archived', async () => {
    const r = await evaluate(move('Staging', 'Archived', { policies: [] }));
    expect(check(r, 'policy.covered').status).toBe('pass');
    expect(r.decision).toBe('allow');
  });

  it('passes when a policy matches, naming it', async () => {
    expect(check(await evaluate(move('None', 'Staging')), 'policy.covered')).toMatchObject({ status: 'pass', actual: ['policies/base.yaml'] });
  });
});

describe('transition.allowed for an alias kept on a version that changes stage', () => {
  const STAGES: Stage[] = ['None', 'Staging', 'Production', 'Archived'];
  function kept(from: Stage, to: Stage, aliasFrom: Stage[][], moved = false, via?: Transition['via']): Fixture {
    const policies = aliasFrom.map((f, i) => policy(`policies/p${i}.yaml`, { rules: { [to]: { from: [from] }, '@champion': { from: f } } }));
    return {
      transition: { version: 3, from, to, kind: 'stage', ...(via ? { via } : {}) },
      policies: policies.length ? policies : governed,
      head: manifest([{ version: 3, stage: to }, { version: 4, stage: 'Staging' }], { champion: 3 }),
      base: manifest([{ version: 3, stage: from }, { version: 4, stage: 'Staging' }], { champion: moved ? 4 : 3 }),
    };
  }

  it('is denied exactly when some policy’s from rule for the alias refuses the new stage (any policies, any move)', async () => {
    const stage = fc.constantFrom(...STAGES);
    await fc.assert(
      fc.asyncProperty(stage, stage, fc.array(fc.subarray(STAGES), { maxLength: 3 }), async (from, to, rules) => {
        fc.pre(from !== to);
        const r = await evaluate(kept(from, to, rules));
        const refused = rules.some((f) => !f.includes(to));
        const failures = r.checks.filter((c) => c.id === 'transition.allowed' && c.status === 'fail' && c.message.includes('@champion may only point'));
        expect(failures.length > 0).toBe(refused);
        if (refused) expect(r.decision).toBe('deny');
      }),
      { numRuns: 150 },
    );
  });

  it('names the alias, its rule and the way out', async () => {
    const r = await evaluate(kept('Production', 'Archived', [['Production']]));
    expect(check(r, 'transition.allowed', 'policies/p0.yaml').message).toBe(
      '@champion may only point at a version in Production (rules.@champion.from: Production); v3 would be in Archived: move @champion in the same change (promote … --alias champion) or remove it',
    );
  });

  it('does not apply without a from rule, nor to an alias moved onto the version in the same change', async () => {
    const none = await evaluate({ ...kept('Production', 'Archived', []), policies: [policy('policies/p.yaml', { rules: { Archived: {}, '@champion': { metrics: [] } } })] });
    expect(none.checks.some((c) => c.message.includes('@champion'))).toBe(false);
    const moved = await evaluate(kept('Staging', 'Archived', [['Production']], true));
    expect(moved.checks.some((c) => c.message.includes('@champion may only point'))).toBe(false);
  });

  it('keeps both reasons when the stage move itself is refused too', async () => {
    const r = await evaluate({ ...kept('Production', 'Staging', [['Production']]), policies: [policy('policies/p0.yaml', { rules: { Staging: { from: ['None'] }, '@champion': { from: ['Production'] } } })] });
    const msg = check(r, 'transition.allowed', 'policies/p0.yaml').message;
    expect(msg).toMatch(/^Production → Staging is not allowed.*; @champion may only point at a version in Production/);
  });
});
