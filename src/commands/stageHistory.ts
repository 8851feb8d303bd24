/**
 * When did a version enter a stage? Soak time and retention need it. The audit log is the
 * source of truth; for models (or versions) it does not cover, the commit time of the change
 * that put the version in that stage, read from first-parent git history of its manifest.
 */
import type { Stage } from '../manifest/types';
import { lineLandedAt, manifestHistory } from '../repo/history';
import type { RepoState } from '../repo/types';
import { auditPath, manifestPath, type RegistryLayout } from '../repo/registry';
import { readAuditState } from './auditState';

export interface StageHistoryDeps {
  root: string;
  state: RepoState;
  layout: RegistryLayout;
}

export async function enteredStageAt(deps: StageHistoryDeps, model: string, version: number, stage: Stage): Promise<Date | undefined> {
  const audit = await readAuditState(deps.state, auditPath(deps.layout, model), model);
  const entry = audit?.replay.enteredAt.get(version);
  if (entry && entry.stage === stage) {
    const recorded = new Date(entry.time);
    const landed = await landedAt(deps, auditPath(deps.layout, model), entry.seq);
    return landed && landed > recorded ? landed : recorded;
  }
  return enteredStageFromGit(deps, model, version, stage);
}

/**
 * When the record with `seq` (line `seq` of the log) came into the branch: the committer time
 * of the first-parent commit that brought that line (SPEC section 7). A record's own `time` is
 * written by whoever made it; a record dated last week but merged today counts from today.
 */
async function landedAt(deps: StageHistoryDeps, file: string, seq: number): Promise<Date | undefined> {
  if (deps.state.commit === undefined) return undefined;
  return lineLandedAt(deps.root, deps.state.commit, file, seq);
}

/**
 * Walks the manifest's first-parent history back from the state's commit; the answer is the
 * time of the oldest commit of the latest unbroken run in which the version had `stage`.
 */
async function enteredStageFromGit(deps: StageHistoryDeps, model: string, version: number, stage: Stage): Promise<Date | undefined> {
  let entered: Date | undefined;
  for await (const { commit, then } of manifestHistory(deps.root, manifestPath(deps.layout, model), { from: deps.state.commit ?? 'HEAD', newestFirst: true })) {
    // An absent or unreadable historic manifest ends the walk: we know no further back.
    if (then.kind !== 'manifest' || then.manifest.versions.find((v) => v.version === version)?.stage !== stage) break;
    entered = commit.time;
  }
  return entered;
}
