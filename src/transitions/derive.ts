/**
 * Derives the transitions between two states of one model's manifest. Pure: it is handed the
 * two parsed manifests (either may be missing) and returns what changed, in a stable order.
 */
import type { Manifest, Stage } from '../manifest/types';
import type { Transition } from './types';

/** Order in which transitions of one model are listed (and applied when replayed). */
const KIND_ORDER: Record<Transition['kind'], number> = { register: 0, stage: 1, alias: 2, remove: 3, modify: 4 };

export function deriveTransitions(model: string, base: Manifest | undefined, head: Manifest | undefined): Transition[] {
  const out: Transition[] = [];
  const baseVersions = new Map((base?.versions ?? []).map((v) => [v.version, v]));
  const headVersions = new Map((head?.versions ?? []).map((v) => [v.version, v]));

  for (const [version, hv] of headVersions) {
    const bv = baseVersions.get(version);
    if (!bv) {
      out.push({ model, version, kind: 'register', from: null, to: hv.stage });
    } else if (bv.stage !== hv.stage) {
      out.push({ model, version, kind: 'stage', from: bv.stage, to: hv.stage });
    }
  }
  for (const [version, bv] of baseVersions) {
    if (!headVersions.has(version)) out.push({ model, version, kind: 'remove', from: bv.stage, to: null });
  }

  const baseAliases = base?.aliases ?? {};
  const headAliases = head?.aliases ?? {};
  for (const [alias, version] of Object.entries(headAliases)) {
    const before = baseAliases[alias];
    if (before === version) continue;
    const stage: Stage | null = headVersions.get(version)?.stage ?? null;
    out.push({
      model,
      version,
      kind: 'alias',
      from: stage,
      to: `@${alias}`,
      ...(before !== undefined ? { previousVersion: before } : {}),
    });
  }
  // An alias removed in head is not an assignment; it is recorded (audit) but judged by no rule.

  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.version - b.version || String(a.to).localeCompare(String(b.to)));
}

/** Aliases present in base and gone in head. */
export function removedAliases(base: Manifest | undefined, head: Manifest | undefined): { alias: string; version: number }[] {
  const headAliases = head?.aliases ?? {};
  return Object.entries(base?.aliases ?? {})
    .filter(([alias]) => !(alias in headAliases))
    .map(([alias, version]) => ({ alias, version }));
}

/** A new version registered straight at stage None is a registration, not a gated promotion. */
export function isGated(t: Transition): boolean {
  if (t.kind === 'register') return t.to !== 'None';
  return true;
}
