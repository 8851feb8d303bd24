/**
 * Input `sync: mlflow`: after `record` and after a dispatched decision have been pushed, the
 * MLflow Model Registry at MLFLOW_TRACKING_URI is made to follow git (`sync mlflow`). Git has
 * already moved by then, so a failure here does not change the `decision` output: the step
 * fails with exit 3 and says git is ahead of MLflow and to re-run the sync.
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { InputError, ModelgateError, formatError } from '../errors';
import { scrub } from '../github/client';
import { repoRoot } from '../commands/repoRoot';
import { changedFiles } from '../repo/changes';
import { modelOfAuditPath, modelOfPath, readLayout } from '../repo/registry';
import { WorktreeState } from '../repo/worktree';
import { hasCommit } from './checkout';
import { info, inertLegacy } from './log';
import { writeSummary } from './summary';
import type { ActionContext } from './context';

const SHA = /^[0-9a-f]{40}$/;

/** Before anything is pushed: `sync: mlflow` without MLFLOW_TRACKING_URI is a workflow to fix (exit 2), not a sync to fail later. */
export function assertSyncReady(ctx: ActionContext): void {
  if (ctx.inputs.sync !== 'mlflow' || ctx.env.MLFLOW_TRACKING_URI) return;
  throw new InputError("input 'sync: mlflow' needs MLFLOW_TRACKING_URI in the step's env", {
    hint: 'set env: MLFLOW_TRACKING_URI: ${{ vars.MLFLOW_TRACKING_URI }} (and MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD from secrets) on the modelgate step; nothing was recorded or pushed',
  });
}

/**
 * Before anything is recorded: `record` with `sync: mlflow` runs only on the default branch.
 * `command: record` can be forced on any push; on a feature branch that would hand an
 * unreviewed head commit to the serving registry. Whether the ref is the default branch is
 * read as dispatch does (payload repository.default_branch against GITHUB_REF); a payload
 * without it cannot be told apart from a feature branch, so it is refused too.
 */
export function assertSyncRef(ctx: ActionContext, plan: 'record' | 'decide'): void {
  if (ctx.inputs.sync !== 'mlflow' || plan !== 'record') return;
  const main = (ctx.payload.repository as { default_branch?: unknown } | undefined)?.default_branch;
  if (typeof main === 'string' && main !== '' && ctx.ref === `refs/heads/${main}`) return;
  const where = typeof main === 'string' && main !== '' ? `the default branch (refs/heads/${main})` : 'the default branch (the event payload has no repository.default_branch)';
  throw new InputError(`input 'sync: mlflow' with record runs only on ${where}; this run is on '${ctx.ref || 'no ref'}'`, {
    hint: 'MLflow serves what git decided on the default branch, after review: run record with sync: mlflow on pushes to the default branch only (on: push: branches: [main]). Nothing was recorded, pushed or synced',
  });
}

/**
 * Which models to sync: a dispatched decision's model; after `record`, the models whose
 * manifest or audit log changed in the pushed range (a re-run of the job syncs them again),
 * or every model when the range has no start (a new branch, a force push).
 */
export type SyncScope = { model: string } | { since: unknown };

/** Runs the sync after the push returned; never throws: a failure fails the step (exit 3) and leaves the outputs as they are. */
export async function syncAfterPush(ctx: ActionContext, scope: SyncScope): Promise<void> {
  if (ctx.inputs.sync !== 'mlflow') return;
  try {
    const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
    const models = 'model' in scope ? [scope.model] : await changedModels(root, scope.since);
    if (models !== undefined && models.length === 0) {
      info('modelgate: sync mlflow: no model changed in this push; nothing to sync');
      return;
    }
    const [{ runSync, SyncIncomplete }, { renderSync }] = await Promise.all([import('../commands/sync'), import('../report/sync')]);
    try {
      const o = await runSync({ repo: root, format: 'text', now: new Date(), env: ctx.env, ...(models ? { models } : {}), dryRun: false });
      info(renderSync(o, 'text', { color: false }));
      await writeSummary(renderSync(o, 'markdown', { color: false }));
    } catch (err) {
      if (err instanceof SyncIncomplete) {
        info(renderSync(err.outcome, 'text', { color: false }));
        await writeSummary(renderSync(err.outcome, 'markdown', { color: false }));
      }
      throw err;
    }
  } catch (err) {
    const text = err instanceof ModelgateError ? formatError(err) : `internal error: ${(err as Error)?.message ?? String(err)}`;
    const line = inertLegacy(scrub(`modelgate: git is ahead of MLflow; re-run sync. ${text}`, ctx.inputs.token));
    core.setFailed(line);
    await writeSummary(`### modelgate: git is ahead of MLflow; re-run sync\n\nThe decision is committed and pushed; the MLflow Model Registry did not follow it (see the step log).\n`).catch(() => undefined);
    // After the push the environment failed us, whatever the cause: exit 3 (SPEC section 5).
    process.exitCode = 3;
  }
}

/** Models whose manifest or audit log differ between `since` and HEAD; undefined (all) when there is no usable start. */
async function changedModels(root: string, since: unknown): Promise<string[] | undefined> {
  if (typeof since !== 'string' || !SHA.test(since) || /^0+$/.test(since) || !(await hasCommit(root, since))) return undefined;
  const layout = await readLayout(new WorktreeState(root));
  const models = new Set<string>();
  for (const path of (await changedFiles(root, since, 'HEAD')).keys()) {
    const m = modelOfPath(layout, path) ?? modelOfAuditPath(layout, path);
    if (m !== undefined) models.add(m);
  }
  // A model whose manifest was removed has nothing left to sync (its MLflow model is left as it is).
  const state = new WorktreeState(root);
  const present: string[] = [];
  for (const m of [...models].sort()) if (await state.stat(`${layout.registry}/${m}.yaml`)) present.push(m);
  return present;
}
