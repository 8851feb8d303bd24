/** exitCodeOf: the one mapping of an outcome to SPEC section 5's exit codes, for the CLI and the Action. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, InputError } from '../../src/errors';
import { exitCodeOf, failed, type Outcome } from '../../src/commands/outcome';

describe('exitCodeOf', () => {
  it('maps verdicts: allow and no verdict 0, deny 1, invalid input 2', () => {
    expect(exitCodeOf({})).toBe(0);
    expect(exitCodeOf({ decision: 'allow' })).toBe(0);
    expect(exitCodeOf({ decision: 'deny' })).toBe(1);
    expect(exitCodeOf({ invalid: true })).toBe(2);
  });

  it('a fault decides before any verdict: an environment failure 3, bad input 2, anything unexpected 3 (fail closed)', () => {
    expect(exitCodeOf({ decision: 'allow', faults: [new EnvironmentError('S3 GetObject failed')] })).toBe(3);
    expect(exitCodeOf({ decision: 'deny', faults: [new EnvironmentError('S3 GetObject failed')] })).toBe(3);
    expect(exitCodeOf(failed(new InputError('unknown command')))).toBe(2);
    expect(exitCodeOf(failed(new TypeError('a bug')))).toBe(3);
    expect(exitCodeOf(failed('thrown string'))).toBe(3);
    // The first fault decides.
    expect(exitCodeOf({ faults: [new InputError('x'), new EnvironmentError('y')] })).toBe(2);
  });

  it('is always one of 0/1/2/3, and never 0 when there is a fault or a deny', () => {
    const fault = fc.oneof(
      fc.constant(new EnvironmentError('e')),
      fc.constant(new InputError('i')),
      fc.constant(new Error('bug')),
      fc.anything(),
    );
    const outcome: fc.Arbitrary<Outcome> = fc.record(
      { decision: fc.constantFrom('allow' as const, 'deny' as const), invalid: fc.boolean(), faults: fc.array(fault, { maxLength: 3 }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(outcome, (o) => {
        const code = exitCodeOf(o);
        expect([0, 1, 2, 3]).toContain(code);
        if ((o.faults?.length ?? 0) > 0 || o.decision === 'deny' || o.invalid) expect(code).not.toBe(0);
      }),
    );
  });
});
