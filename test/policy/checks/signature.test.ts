import { describe, expect, it } from 'vitest';
import type { Spec } from '../../../src/runs/types';
import { check, columns, evaluate, manifest, promotion, run, signature } from './fixtures';

const compat = (champion: Spec[] | RunSig, mine: Spec[] | RunSig) =>
  evaluate(
    promotion(
      { signature: { compatibleWith: 'Production' } },
      { runs: { 2: run(2, { signature: Array.isArray(champion) ? signature(champion) : champion }), 3: run(3, { signature: Array.isArray(mine) ? signature(mine) : mine }) } },
    ),
  );
type RunSig = ReturnType<typeof signature>;

describe('signature.compatible', () => {
  it('passes a widening and a new optional input', async () => {
    const r = await compat(columns(['age', 'integer']), columns(['age', 'long'], ['plan', 'string', false]));
    expect(check(r, 'signature.compatible')).toMatchObject({ status: 'pass', message: 'inputs are compatible with v2 (Production); new optional input: plan' });
  });

  it('fails a narrowing and a new required input, listing each breaking change', async () => {
    const r = await compat(columns(['age', 'long']), columns(['age', 'integer'], ['plan', 'string', true]));
    const c = check(r, 'signature.compatible');
    expect(c.status).toBe('fail');
    expect(c.message).toBe('inputs break compatibility with v2 (Production): age: type changed long → integer; plan: new required input');
    expect(r.decision).toBe('deny');
  });

  it('passes when there is no version in the target to compare with', async () => {
    const f = promotion({ signature: { compatibleWith: 'Production' } });
    f.base = manifest([{ version: 3, stage: 'Staging' }]);
    expect(check(await evaluate(f), 'signature.compatible')).toMatchObject({ status: 'pass', message: 'no version in Production to compare with' });
  });

  it('fails closed when the baseline signature is unavailable or its run unreadable', async () => {
    const unavailable = await compat({ state: 'unavailable', reason: 'no MLmodel' }, columns(['age', 'long']));
    expect(check(unavailable, 'signature.compatible').message).toMatch(/^could not evaluate: the signature of v2 \(Production\) is unavailable/);
    const f = promotion({ signature: { compatibleWith: 'Production' } });
    f.runs![2] = new Error('disk on fire');
    expect(check(await evaluate(f), 'signature.compatible').message).toBe('could not evaluate: the run of v2 (Production): disk on fire');
  });

  it('fails when the candidate has no signature; passes when the baseline never had one', async () => {
    expect(check(await compat(columns(['age', 'long']), { state: 'absent', source: 'MLmodel' }), 'signature.compatible').status).toBe('fail');
    expect(check(await compat({ state: 'absent', source: 'MLmodel' }, columns(['age', 'long'])), 'signature.compatible').status).toBe('pass');
  });
});
