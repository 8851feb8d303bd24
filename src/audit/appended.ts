/**
 * `audit.appended` (SPEC section 4): the records a change appends to a model's audit log must be
 * exactly the records of this change's own transitions, timed between the commit the change
 * started from and now, and the log must then replay to the manifest the change leaves. Pure:
 * the caller hands in the appended records, the change's transitions and the time window.
 *
 * Without it, well-chained records forged in a pull request pass the chain check: a backdated
 * `promote` satisfies `minTimeInStage`, a fake Production history forges the rollback target,
 * and a record for a version that never moved breaks the log for good.
 */
import type { Manifest } from '../manifest/types';
import type { Transition } from '../transitions/types';
import { compareWithManifest, type ReplayState } from './replay';
import type { AuditAction, AuditRecord } from './types';

export interface AppendedInput {
  model: string;
  appended: AuditRecord[];
  transitions: Transition[];
  /** Aliases the change removes (their records carry `removed: true`). */
  removedAliases: { alias: string; version: number }[];
  notBefore: Date;
  notAfter: Date;
  /** The head log replayed, and the head manifest (undefined: the model is gone). */
  replay: ReplayState;
  head: Manifest | undefined;
}

/** What is wrong with the appended records; empty when they are exactly the change's own. */
export function appendedProblems(input: AppendedInput): string[] {
  const problems: string[] = [];
  const open = [...input.transitions];
  const openRemovals = [...input.removedAliases];
  for (const r of input.appended) {
    const where = `record ${r.seq} (${r.action} v${r.version} ${r.from ?? 'new'} -> ${r.to})`;
    if (r.model !== input.model) problems.push(`${where} names model ${r.model}`);
    const time = Date.parse(r.time);
    if (!Number.isFinite(time)) problems.push(`${where} has no valid time`);
    else if (time < input.notBefore.getTime()) problems.push(`${where} is dated ${r.time}, before the commit this change starts from (${input.notBefore.toISOString()})`);
    else if (time > input.notAfter.getTime()) problems.push(`${where} is dated ${r.time}, in the future`);
    if (r.removed) {
      const i = openRemovals.findIndex((a) => `@${a.alias}` === r.to && a.version === r.version);
      if (i === -1) problems.push(`${where} removes an alias this change does not remove`);
      else openRemovals.splice(i, 1);
      continue;
    }
    const i = open.findIndex((t) => matches(t, r));
    if (i === -1) problems.push(`${where} matches no transition of this change`);
    else open.splice(i, 1);
  }
  if (input.appended.length > 0 && input.head) {
    for (const p of compareWithManifest(input.replay, input.head)) problems.push(`the log no longer replays to the manifest: ${p}`);
  }
  return problems;
}

function matches(t: Transition, r: AuditRecord): boolean {
  if (t.version !== r.version || t.model !== r.model) return false;
  if (!actionsFor(t).includes(r.action)) return false;
  if (t.kind === 'alias') return r.to === t.to;
  if (t.kind === 'remove') return r.from === t.from && r.to === 'None';
  return r.from === t.from && r.to === t.to;
}

/** The record actions modelgate writes for a transition (SPEC section 7). */
function actionsFor(t: Transition): AuditAction[] {
  switch (t.kind) {
    case 'register':
      return ['register'];
    case 'alias':
      return ['alias', 'rollback'];
    case 'remove':
      return ['archive', 'promote'];
    case 'modify':
      return [];
    case 'stage':
      return t.to === 'Archived' ? ['archive'] : ['promote', 'rollback'];
  }
}
