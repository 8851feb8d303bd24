/**
 * `transition.allowed` and `transition.single-production`: which stage moves are legal.
 * A policy's `from` list for the target replaces the default graph (SPEC section 4); rollbacks
 * ignore `from` lists (SPEC section 7); drift re-judges a version where it stands, so the graph
 * does not apply to it at all.
 */
import type { LoadedManifest, Stage } from '../../manifest/types';
import type { Transition } from '../../transitions/types';
import type { LoadedPolicy, Target } from '../types';
import { fail, listing, pass, type RawCheck } from './verdict';
import { v } from './input';

const ALLOWED = 'transition.allowed';
const SINGLE_PRODUCTION = 'transition.single-production';

/** The default graph: target → stages it may be entered from. */
const DEFAULT_FROM: Record<Stage, readonly Stage[]> = {
  None: [],
  Staging: ['None', 'Archived'],
  Production: ['Staging'],
  Archived: ['Staging', 'Production'],
};

/**
 * An alias with no `from` rule may point at any version that is serving or about to serve:
 * Staging or Production. Pointing an alias at an Archived or unpromoted (None) version would
 * route traffic to a model that never passed the gate.
 */
const DEFAULT_ALIAS_FROM: readonly Stage[] = ['Staging', 'Production'];

/** A rollback puts back a version that served before: it may come back from these. */
const ROLLBACK_FROM: readonly Stage[] = ['Staging', 'Production', 'Archived'];

function arrow(from: Stage, to: Target): string {
  return `${from} → ${to}`;
}

/** Judges the stage move of a non-removal transition. Drift transitions get none, but an alias is still judged by where its version stands. */
export function transitionAllowed(t: Transition, target: Target, applicable: readonly LoadedPolicy[]): RawCheck[] {
  if (t.via === 'drift') return target.startsWith('@') ? aliasStands(t.version, t.from ?? 'None', target, applicable, 'is in') : [];
  // A version that appears directly in a stage is treated as coming from None.
  const from: Stage = t.from ?? 'None';
  const expected = (allowed: readonly Stage[]) => ({ actual: from, expected: [...allowed] });

  if (from === target) {
    return [pass(ALLOWED, t.from === null ? `${v(t.version)} is registered in ${target}` : `${v(t.version)} stays in ${target}`, { actual: from })];
  }

  if (t.via === 'rollback') {
    return [
      ROLLBACK_FROM.includes(from)
        ? pass(ALLOWED, `rollback: ${arrow(from, target)} (rollbacks ignore from lists)`, expected(ROLLBACK_FROM))
        : fail(ALLOWED, `${v(t.version)} is in ${from} and never served; a rollback can only put back a version from ${listing(ROLLBACK_FROM)}`, expected(ROLLBACK_FROM)),
    ];
  }

  // Each policy judges the move: by its own `from` list, or by the default graph when it has
  // none. So one policy's `from` never relaxes another's graph, and adding a policy can only
  // add restrictions.
  const ruled = applicable.filter((p) => p.doc.rules?.[target]?.from !== undefined);
  const unruled = applicable.filter((p) => p.doc.rules?.[target]?.from === undefined);
  const out: RawCheck[] = ruled.map((p) => {
    const allowed = p.doc.rules?.[target]?.from ?? [];
    const check = allowed.includes(from)
      ? pass(ALLOWED, `${arrow(from, target)} is allowed (rules.${target}.from: ${allowed.join(', ')})`, expected(allowed))
      : fail(
          ALLOWED,
          `${arrow(from, target)} is not allowed: ${target} may only be entered from ${allowed.length ? listing(allowed) : 'nowhere'} (rules.${target}.from)`,
          expected(allowed),
        );
    return { ...check, policy: p.file };
  });
  if (unruled.length > 0 || applicable.length === 0) {
    // One default-graph verdict stands for every policy without a `from` list.
    out.push({ ...defaultGraph(t, from, target), sharedBy: unruled.map((p) => p.file) });
  }
  return out;
}

function defaultGraph(t: Transition, from: Stage, target: Target): RawCheck {
  const allowed = target.startsWith('@') ? DEFAULT_ALIAS_FROM : DEFAULT_FROM[target as Stage];
  const extra = { actual: from, expected: [...allowed] };
  if (allowed.includes(from)) return pass(ALLOWED, `${arrow(from, target)} is allowed by the default transition graph`, extra);
  if (target.startsWith('@')) {
    return fail(ALLOWED, `${target} may only point at a version in ${listing(allowed)}; ${v(t.version)} is in ${from}`, extra);
  }
  if (from === 'None' && target === 'Production') {
    return fail(
      ALLOWED,
      `${arrow(from, target)} skips Staging: promote to Staging first, or allow it explicitly with rules.Production.from: [None, Staging]`,
      extra,
    );
  }
  if (from === 'Archived' && target === 'Production') {
    return fail(ALLOWED, `${arrow(from, target)} is only allowed by \`modelgate rollback\``, extra);
  }
  const hint = allowed.length ? `${target} is entered from ${listing(allowed)}` : `nothing moves back to ${target}`;
  return fail(ALLOWED, `${arrow(from, target)} is not in the default transition graph (${hint}); a policy may allow it with rules.${target}.from`, extra);
}

/**
 * The stages a version may be in while `alias` points at it: each policy's `rules."@alias".from`.
 * Only a written `from` is a standing requirement; the default alias graph judges an assignment
 * (transitionAllowed), not every later stage change of the version.
 */
function aliasFrom(alias: Target, applicable: readonly LoadedPolicy[]): { allowed: readonly Stage[]; policy: string }[] {
  return applicable.flatMap((p) => {
    const allowed = p.doc.rules?.[alias]?.from;
    return allowed === undefined ? [] : [{ allowed, policy: p.file }];
  });
}

/** The first `from` rule of `alias` that refuses `stage` (the stages it allows), or undefined when none does. */
export function aliasRuleRefusing(alias: Target, stage: Stage, applicable: readonly LoadedPolicy[]): readonly Stage[] | undefined {
  return aliasFrom(alias, applicable).find(({ allowed }) => !allowed.includes(stage))?.allowed;
}

function aliasStands(version: number, stage: Stage, alias: Target, applicable: readonly LoadedPolicy[], verb: 'is in' | 'would be in'): RawCheck[] {
  const fix = verb === 'is in' ? `point ${alias} at a version its rule allows` : `move ${alias} in the same change (promote … --alias ${alias.slice(1)}) or remove it`;
  return aliasFrom(alias, applicable).map(({ allowed, policy }) => {
    const rule = ` (rules.${alias}.from: ${allowed.join(', ') || 'nothing'})`;
    const extra = { actual: stage, expected: [...allowed] };
    const check = allowed.includes(stage)
      ? pass(ALLOWED, `${alias} points at ${v(version)}, which ${verb} ${stage}${rule}`, extra)
      : fail(ALLOWED, `${alias} may only point at a version in ${allowed.length ? listing(allowed) : 'no stage'}${rule}; ${v(version)} ${verb} ${stage}: ${fix}`, extra);
    return { ...check, policy };
  });
}

/**
 * A version changes stage while aliases stay on it: each alias's `from` rule must still allow the new
 * stage (issue 15: archiving or replacing the champion's version without moving @champion is
 * denied, so an alias never serves a version its rule would refuse). Aliases moved onto the
 * version in the same change are judged by their own alias transition.
 */
export function aliasesKept(t: Transition, head: LoadedManifest, base: LoadedManifest | undefined, applicable: readonly LoadedPolicy[]): RawCheck[] {
  if (t.kind !== 'stage' || t.via === 'drift' || t.to === null || t.to.startsWith('@')) return [];
  const stage = t.to as Stage;
  const kept = Object.entries(head.manifest.aliases).filter(([alias, version]) => version === t.version && base?.manifest.aliases[alias] === version);
  return kept.flatMap(([alias]) => aliasStands(t.version, stage, `@${alias}`, applicable, 'would be in'));
}

/** Removing a version from the manifest: only versions that serve nothing may go. */
export function removalAllowed(t: Transition): RawCheck {
  const from = t.from;
  if (from === 'Production' || from === 'Staging') {
    return fail(ALLOWED, `removing ${v(t.version)} while it is in ${from} is not allowed; archive it first`, { actual: from });
  }
  return pass(ALLOWED, `${v(t.version)} was in ${from ?? 'None'}; it may be removed`, { actual: from });
}

/** After a transition into Production, the head manifest must hold exactly one Production version. */
export function singleProduction(t: Transition, head: LoadedManifest): RawCheck[] {
  if (t.to !== 'Production') return [];
  const inProduction = head.manifest.versions
    .filter((x) => x.stage === 'Production')
    .map((x) => x.version)
    .sort((a, b) => a - b);
  if (inProduction.length < 2) {
    return [pass(SINGLE_PRODUCTION, `${v(t.version)} is the only version in Production`, { actual: inProduction })];
  }
  const others = inProduction.filter((n) => n !== t.version).map(v);
  const names = inProduction.map(v);
  return [
    fail(
      SINGLE_PRODUCTION,
      `${listing(names)} are ${names.length > 2 ? 'all' : 'both'} in Production; archive ${listing(others)} in the same change`,
      { actual: inProduction, expected: 1 },
    ),
  ];
}
