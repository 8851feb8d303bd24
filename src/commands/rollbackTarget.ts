/**
 * Which version held Production (or an alias) before the current one? The audit log knows;
 * for history older than the log, the manifest's first-parent git history does.
 */
import { InputError } from '../errors';
import { manifestHistory } from '../repo/history';
import { manifestPath } from '../repo/registry';
import type { Current } from './apply';

export async function previousHolder(cur: Current, model: string, target: 'Production' | `@${string}`, current: number | undefined): Promise<number> {
  const found = earlierThan(holdersFromAudit(cur, target), current) ?? earlierThan(await holdersFromGit(cur, model, target), current);
  if (found !== undefined) return found;
  throw new InputError(`no earlier version of ${model} held ${target} to roll back to`, {
    hint: 'name the version with --to VERSION',
  });
}

/** Walking back from the newest holder, the first that is not the current version. */
function earlierThan(holders: number[], current: number | undefined): number | undefined {
  for (let i = holders.length - 1; i >= 0; i--) {
    if (holders[i] !== current) return holders[i];
  }
  return undefined;
}

function holdersFromAudit(cur: Current, target: string): number[] {
  const replay = cur.audit?.replay;
  if (!replay) return [];
  if (target === 'Production') return dedupeRuns(replay.productionHistory);
  return dedupeRuns(replay.aliasHistory.get(target.slice(1)) ?? []);
}

async function holdersFromGit(cur: Current, model: string, target: string): Promise<number[]> {
  const holders: number[] = [];
  for await (const { then } of manifestHistory(cur.root, manifestPath(cur.layout, model))) {
    // An absent or unreadable historic manifest says nothing about who held the stage.
    if (then.kind !== 'manifest') continue;
    const m = then.manifest;
    const holder = target === 'Production' ? m.versions.find((v) => v.stage === 'Production')?.version : m.aliases[target.slice(1)];
    if (holder !== undefined) holders.push(holder);
  }
  return dedupeRuns(holders);
}

function dedupeRuns(xs: number[]): number[] {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}
