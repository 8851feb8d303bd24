/**
 * Enforcement: turns raw verdicts into reported checks (SPEC sections 4, 5 and 7).
 * - level: the policy's `enforcement.overrides` for the check id (exact id, else the most
 *   specific matching glob such as `metric:*`), else `enforcement.default`, else `deny`;
 * - a failing check at level `warn` has status `warn`;
 * - a rollback reports every failing check at level `warn` except artifact.*,
 *   signature.compatible, retention.archived and approvals.required;
 * - waivers (from every applicable policy) turn `fail`/`warn` into `waived` until they expire;
 *   an expired one is ignored and reported, one whose check did not fail is reported as unused.
 */
import picomatch from 'picomatch';
import type { Transition } from '../transitions/types';
import type { CheckResult, Level, LoadedPolicy, Waiver } from './types';
import type { RawCheck } from './checks/verdict';

export interface EnforcementScope {
  /** The policies that govern the model (`selectPolicies`). */
  policies: readonly LoadedPolicy[];
  model: string;
  version: number;
  now: Date;
  via?: Transition['via'];
}

/** Checks a rollback still enforces at their configured level (SPEC section 7). */
const ROLLBACK_ENFORCED = new Set(['artifact.exists', 'artifact.digest', 'signature.compatible', 'retention.archived', 'approvals.required']);

const idMatchers = new Map<string, (id: string) => boolean>();

/**
 * Check ids contain `/` (`metric:auc_by_slice/plan=basic.min`) but are not paths: `metric:*`
 * must match them all, so `/` is swapped for a character picomatch treats as ordinary.
 */
const SLASH = '\u2044';

export function idMatches(pattern: string, id: string): boolean {
  if (pattern === id) return true;
  let m = idMatchers.get(pattern);
  if (!m) {
    const compiled = picomatch(pattern.replaceAll('/', SLASH), { dot: true });
    m = (x: string) => compiled(x.replaceAll('/', SLASH));
    idMatchers.set(pattern, m);
  }
  return m(id);
}

const modelMatchers = new Map<string, (name: string) => boolean>();

function modelMatches(glob: string, model: string): boolean {
  let m = modelMatchers.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true });
    modelMatchers.set(glob, m);
  }
  return m(model);
}

/** More literal characters = more specific; a tie goes to `deny` (fail closed). */
function specificity(pattern: string): number {
  return pattern.replace(/[*?[\]{}()!+@]/g, '').length;
}

/** The level an override map sets for `id`, if any. */
function overrideFor(policy: LoadedPolicy, id: string): Level | undefined {
  const overrides = policy.doc.enforcement?.overrides ?? {};
  if (Object.hasOwn(overrides, id)) return overrides[id];
  let best: { score: number; level: Level } | undefined;
  for (const [pattern, level] of Object.entries(overrides)) {
    if (!idMatches(pattern, id)) continue;
    const score = specificity(pattern);
    if (!best || score > best.score || (score === best.score && level === 'deny')) best = { score, level };
  }
  return best?.level;
}

export function levelFor(policy: LoadedPolicy, id: string): Level {
  return overrideFor(policy, id) ?? policy.doc.enforcement?.default ?? 'deny';
}

function sharers(policies: readonly LoadedPolicy[], sharedBy: readonly string[] | undefined): readonly LoadedPolicy[] {
  return sharedBy === undefined ? policies : policies.filter((p) => sharedBy.includes(p.file));
}

/** A check several policies share is enforced at the strictest of their levels. */
function strictest(policies: readonly LoadedPolicy[], level: (p: LoadedPolicy) => Level, fallback: Level): { level: Level; policy?: string } {
  const levels = policies.map((p) => ({ level: level(p), policy: p.file }));
  return levels.find((l) => l.level === 'deny') ?? levels[0] ?? { level: fallback };
}

/** When a waiver stops applying: the end of the given UTC day for a date, else the instant. */
export function waiverExpiry(expires: string | Date): Date | undefined {
  // A YAML 1.1 loader would hand a bare date over as a Date at UTC midnight: same day.
  const text = expires instanceof Date ? expires.toISOString().slice(0, 10) : String(expires);
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = new Date(Date.UTC(y, m - 1, d));
    if (start.getUTCFullYear() !== y || start.getUTCMonth() !== m - 1 || start.getUTCDate() !== d) return undefined;
    return new Date(Date.UTC(y, m - 1, d + 1));
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function isLive(w: Waiver, now: Date): boolean {
  const end = waiverExpiry(w.expires);
  return end !== undefined && now.getTime() < end.getTime();
}

function waiverMatches(w: Waiver, id: string, scope: EnforcementScope): boolean {
  if (!idMatches(w.check, id)) return false;
  if (w.model !== undefined && !modelMatches(w.model, scope.model)) return false;
  if (w.version !== undefined && w.version !== scope.version) return false;
  return true;
}

function waiverInfo(w: Waiver, flags: { expired?: boolean; unused?: boolean }): NonNullable<CheckResult['waiver']> {
  return {
    reason: w.reason,
    expires: expiresText(w.expires),
    ...(w.approvedBy !== undefined ? { approvedBy: w.approvedBy } : {}),
    ...(flags.expired ? { expired: true } : {}),
    ...(flags.unused ? { unused: true } : {}),
  };
}

function expiresText(expires: string | Date): string {
  return expires instanceof Date ? expires.toISOString().slice(0, 10) : String(expires);
}

export function applyEnforcement(raw: readonly RawCheck[], scope: EnforcementScope): CheckResult[] {
  const waivers = scope.policies.flatMap((p) => p.doc.waivers ?? []);
  const byFile = new Map(scope.policies.map((p) => [p.file, p]));
  return raw.map((check) => {
    const owner = check.policy !== undefined ? byFile.get(check.policy) : undefined;
    const decided = owner
      ? { level: levelFor(owner, check.id), policy: owner.file }
      : check.policy !== undefined
        ? { level: 'deny' as Level, policy: check.policy }
        : strictest(sharers(scope.policies, check.sharedBy), (p) => levelFor(p, check.id), 'deny');
    let level = decided.level;
    if (check.status === 'fail' && scope.via === 'rollback' && !ROLLBACK_ENFORCED.has(check.id)) level = 'warn';
    const status = check.status === 'fail' && level === 'warn' ? 'warn' : check.status;
    // Key order follows the JSON report of SPEC section 5.
    const result: CheckResult = {
      id: check.id,
      status,
      level,
      message: check.message,
      ...(check.actual !== undefined ? { actual: check.actual } : {}),
      ...(check.expected !== undefined ? { expected: check.expected } : {}),
      ...(check.baseline !== undefined ? { baseline: check.baseline } : {}),
      ...(decided.policy !== undefined ? { policy: decided.policy } : {}),
    };
    return applyWaivers(result, waivers, scope);
  });
}

function applyWaivers(result: CheckResult, waivers: readonly Waiver[], scope: EnforcementScope): CheckResult {
  const matching = waivers.filter((w) => waiverMatches(w, result.id, scope));
  if (matching.length === 0) return result;
  const live = matching.find((w) => isLive(w, scope.now));
  if (result.status === 'fail' || result.status === 'warn') {
    if (live) return { ...result, status: 'waived', waiver: waiverInfo(live, {}) };
    const expired = latestExpired(matching);
    return { ...result, message: `${result.message}; waiver expired ${expiresText(expired.expires)}`, waiver: waiverInfo(expired, { expired: true }) };
  }
  return live ? { ...result, waiver: waiverInfo(live, { unused: true }) } : result;
}

/** Of several expired waivers, report the one that lapsed last (the one a user would renew). */
function latestExpired(waivers: readonly Waiver[]): Waiver {
  const end = (w: Waiver) => waiverExpiry(w.expires)?.getTime() ?? -Infinity;
  return waivers.reduce((a, b) => (end(b) > end(a) ? b : a));
}

/**
 * `policy.unchanged` (SPEC section 5): the change touches policy files or modelgate.yaml; the
 * base policies judged it. Level `warn` unless a base policy overrides it to `deny`.
 */
export function policyUnchangedCheck(changedFiles: string[], policies: LoadedPolicy[]): CheckResult {
  const id = 'policy.unchanged';
  const files = [...changedFiles].sort();
  const denying = policies.find((p) => overrideFor(p, id) === 'deny');
  const level: Level = denying ? 'deny' : 'warn';
  return {
    id,
    status: level === 'deny' ? 'fail' : 'warn',
    level,
    message: `this change edits policy files (${files.join(', ')}); the base policies judged this change, and the new ones apply only after it is merged`,
    actual: files,
    ...(denying ? { policy: denying.file } : {}),
  };
}
