/** Which policies govern a model: every policy whose `models` globs match its name (default `*`). */
import picomatch from 'picomatch';
import type { LoadedPolicy } from './types';

const matchers = new Map<string, (name: string) => boolean>();

function matcher(glob: string): (name: string) => boolean {
  let m = matchers.get(glob);
  if (!m) {
    // Model names have no slashes; dots are ordinary characters (`churn.v2` matches `churn*`).
    m = picomatch(glob, { dot: true, nocase: false });
    matchers.set(glob, m);
  }
  return m;
}

export function policyMatches(policy: LoadedPolicy, model: string): boolean {
  const globs = policy.doc.models ?? ['*'];
  return globs.some((g) => matcher(g)(model));
}

export function selectPolicies(policies: readonly LoadedPolicy[], model: string): LoadedPolicy[] {
  return policies.filter((p) => policyMatches(p, model));
}
