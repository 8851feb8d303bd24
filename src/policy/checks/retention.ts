/**
 * `retention.archived` (`retention: { archivedDays: N }`): an archived version's artifact is
 * kept N days, the window in which it can be rolled back.
 * - removing an Archived version: fails before N days have passed since it was archived;
 * - rolling back to an Archived version: fails after more than N days (its artifact may be gone);
 * - drift (`check --all`) of an Archived version inside its window: fails when its artifact no
 *   longer exists.
 * At exactly N days, removal is allowed and rollback still is.
 */
import type { Transition } from '../../transitions/types';
import type { LoadedPolicy } from '../types';
import type { Sources } from './sources';
import { v } from './input';
import { artifactExists } from './artifact';
import { cannotEvaluate, COULD_NOT_EVALUATE, fail, pass, type RawCheck } from './verdict';

const RETENTION = 'retention.archived';
const DAY = 86_400_000;

function applies(t: Transition): boolean {
  if (t.from !== 'Archived') return false;
  return t.to === null || t.via === 'rollback' || (t.via === 'drift' && t.to === 'Archived');
}

export async function retentionCheck(t: Transition, policy: LoadedPolicy, sources: Sources, now: Date): Promise<RawCheck[]> {
  const days = policy.doc.retention?.archivedDays;
  if (days === undefined || !applies(t)) return [];
  const expected = `${days} days`;
  const at = await sources.archivedAt(t.version);
  if (!at.ok) return [cannotEvaluate(RETENTION, at.message, { expected })];
  if (!at.value) return [cannotEvaluate(RETENTION, `no record of when ${v(t.version)} was archived`, { expected })];
  const age = now.getTime() - at.value.getTime();
  const ageDays = Math.floor(age / DAY);
  const until = new Date(at.value.getTime() + days * DAY).toISOString();
  const archived = `${v(t.version)} was archived ${ageDays} day${ageDays === 1 ? '' : 's'} ago (${at.value.toISOString()})`;
  const extra = { actual: ageDays, expected };
  const inside = age < days * DAY;
  if (t.to === null) {
    return [
      inside
        ? fail(RETENTION, `${archived}; archived versions are kept ${days} days: it may be removed from ${until}`, extra)
        : pass(RETENTION, `${archived}, past the ${days}-day retention window`, extra),
    ];
  }
  if (t.via === 'rollback') {
    return [
      age > days * DAY
        ? fail(RETENTION, `${archived}, past the ${days}-day retention window: its artifact may be gone; promote it through Staging instead`, extra)
        : pass(RETENTION, `${archived}, inside the ${days}-day retention window`, extra),
    ];
  }
  if (!inside) return [pass(RETENTION, `${archived}, past the ${days}-day retention window`, extra)];
  const exists = artifactExists(await sources.artifact());
  if (exists.status === 'pass') return [pass(RETENTION, `${archived}; its artifact is still there for a rollback until ${until}`, extra)];
  if (exists.message.startsWith(COULD_NOT_EVALUATE)) return [cannotEvaluate(RETENTION, exists.message.slice(COULD_NOT_EVALUATE.length), extra)];
  return [fail(RETENTION, `${archived} and is inside its ${days}-day retention window, but ${exists.message}: it can no longer be rolled back`, extra)];
}
