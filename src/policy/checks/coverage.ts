/**
 * `policy.covered`: an ungoverned model is never promoted (SPEC section 4). Entering Staging,
 * Production or an alias needs at least one policy whose `models` globs match; None and
 * Archived need none.
 */
import type { Transition } from '../../transitions/types';
import type { LoadedPolicy, Target } from '../types';
import { fail, pass, type RawCheck } from './verdict';

const COVERED = 'policy.covered';

export function policyCovered(t: Transition, target: Target, applicable: readonly LoadedPolicy[]): RawCheck {
  const files = applicable.map((p) => p.file);
  if (files.length > 0) return pass(COVERED, `${t.model} is governed by ${files.join(', ')}`, { actual: files });
  if (target === 'None' || target === 'Archived') {
    return pass(COVERED, `no policy governs ${t.model}; entering ${target} needs none`, { actual: [] });
  }
  return fail(
    COVERED,
    `no policy governs ${t.model}; an ungoverned model is never promoted (add a policy whose models: globs match ${t.model})`,
    { actual: [] },
  );
}
