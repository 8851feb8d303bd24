/**
 * When did a version enter a stage? Soak time and retention need it. The audit log is the
 * source of truth; for models (or versions) it does not cover, the commit time of the change
 * that put the version in that stage, read from first-parent git history of its manifest.
 */
import { loadManifest } from '../manifest/load';
import type { Stage } from '../manifest/types';
import { git } from '../git/exec';
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
  const r = await git(['blame', '--first-parent', '--porcelain', '-L', `${seq},${seq}`, deps.state.commit, '--', file], { cwd: deps.root, allowFail: true });
  const m = /^committer-time (\d+)$/m.exec(r.stdout);
  return r.code === 0 && m ? new Date(Number(m[1]) * 1000) : undefined;
}

/**
 * Walks the manifest's first-parent history back from the state's commit; the answer is the
 * time of the oldest commit of the latest unbroken run in which the version had `stage`.
 */
async function enteredStageFromGit(deps: StageHistoryDeps, model: string, version: number, stage: Stage): Promise<Date | undefined> {
  const file = manifestPath(deps.layout, model);
  const start = deps.state.commit ?? 'HEAD';
  const log = await git(['log', '--first-parent', '--format=%H %cI', start, '--', file], { cwd: deps.root, allowFail: true });
  if (log.code !== 0) return undefined;
  const commits = log.stdout.split('\n').filter(Boolean).map((l) => {
    const [sha, time] = l.split(' ');
    return { sha: sha!, time: time! };
  });
  let entered: string | undefined;
  for (const c of commits) {
    const shown = await git(['show', `${c.sha}:${file}`], { cwd: deps.root, allowFail: true });
    if (shown.code !== 0) break;
    let stageThen: Stage | undefined;
    try {
      stageThen = loadManifest(shown.stdout, file, { singleProduction: false }).manifest.versions.find((v) => v.version === version)?.stage;
    } catch {
      break; // an unreadable historic manifest ends the walk: we know no further back
    }
    if (stageThen !== stage) break;
    entered = c.time;
  }
  return entered ? new Date(entered) : undefined;
}
