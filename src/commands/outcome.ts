/**
 * What every command ends with, and the one mapping of it to the spec's exit codes (SPEC
 * section 5), used by the CLI and the Action alike: a fault (an environment failure met while
 * judging, or the error that stopped the command) decides first, then the verdict.
 */
import { ModelgateError } from '../errors';

export type ExitCode = 0 | 1 | 2 | 3;

export interface Outcome {
  /** `deny`: denied by policy, or `audit verify` found a problem. */
  decision?: 'allow' | 'deny';
  /** Input found invalid and reported as data (`validate`). */
  invalid?: boolean;
  /** What kept the command from a verdict, first first: environment failures met while judging. */
  faults?: readonly unknown[];
}

/** 3 for a fault (2 when it is bad input); else 2 for invalid input, 1 for deny, 0. Anything unexpected is 3: fail closed. */
export function exitCodeOf(o: Outcome): ExitCode {
  if (o.faults && o.faults.length > 0) {
    const first = o.faults[0];
    return first instanceof ModelgateError ? first.exitCode : 3;
  }
  if (o.invalid) return 2;
  return o.decision === 'deny' ? 1 : 0;
}

/** The error that stopped a command, as its outcome. */
export function failed(err: unknown): Outcome {
  return { faults: [err] };
}
