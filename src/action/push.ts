/**
 * push to the default branch: `record` the transitions merged in the pushed range (from the
 * event's `before` to the checked-out tip), commit the audit records and push with retry, or
 * commit them through the API (commit-mode api).
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { runRecord, type RecordOptions, type RecordOutcome } from '../commands/record';
import { repoRoot } from '../commands/repoRoot';
import { commitMessage } from '../audit/trailers';
import { auditPath, readLayout } from '../repo/registry';
import { WorktreeState } from '../repo/worktree';
import { escapeMarkdown } from '../report/markdown';
import { EnvironmentError } from '../errors';
import { createGitHub } from '../github/client';
import { pushWithRetry } from '../git/push';
import { currentBranch } from '../git/history';
import { ensureHistory } from './checkout';
import { commitThroughApi, retryTuning } from './apiCommit';
import { approvalsOf, mergedPullRequestNumber } from './mergedPullRequest';
import { info, inertLegacy } from './log';
import { writeSummary } from './summary';
import { lazyTeamResolver } from './teams';
import type { ActionContext } from './context';

const ZERO = /^0{40}$/;

export async function onPush(ctx: ActionContext): Promise<{ commitSha?: string; recorded: number }> {
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath));
  await ensureHistory(root, [], { historyRequired: true });
  const since = await sinceOf(root, ctx.payload.before);
  const opts: RecordOptions = {
    repo: root,
    format: 'text',
    now: new Date(),
    env: ctx.env,
    ...(since ? { since } : {}),
    ...(ctx.actor ? { actor: ctx.actor } : {}),
    resolveTeam: lazyTeamResolver(ctx),
  };
  const approvals = approvalsOfMerge(ctx, root, since);
  // Each attempt (a retry runs on a newer tip, whose range may hold more merges) works out
  // again whose approvals the records may name.
  const once = async (commit: boolean): Promise<RecordOutcome> => runRecord({ ...opts, ...(await approvals()), commit, push: false });
  let out: RecordOutcome = { records: [], bypassed: [] };
  if (ctx.inputs.commitMode === 'api') {
    const commit = await commitThroughApi(ctx, root, async () => {
      out = await once(false);
      if (out.records.length === 0) return undefined;
      const layout = await readLayout(new WorktreeState(root));
      const models = [...new Set(out.records.map((r) => r.model))];
      const n = out.records.length;
      // The same message `record --commit` writes.
      return { files: models.map((m) => auditPath(layout, m)), message: commitMessage(out.records, `Recorded ${n} transition${n === 1 ? '' : 's'} merged without an audit record.`) };
    });
    if (commit) out = { ...out, commit };
  } else {
    await pushWithRetry(root, {
      branch: await currentBranch(root),
      apply: async () => {
        out = await once(true);
        return { committed: out.commit !== undefined };
      },
      onRetry: ({ attempt, attempts }) => info(`modelgate: the branch moved; recording again on the new tip (attempt ${attempt + 1} of ${attempts})`),
    });
  }

  for (const b of out.bypassed) {
    core.warning(inertLegacy(`modelgate: ${b.model} v${b.version} was merged in ${b.commit.slice(0, 12)} with failing checks: ${b.failed.join(', ')} (recorded as merged)`));
  }
  const summary = out.records.length
    ? [`### modelgate recorded ${out.records.length} transition${out.records.length === 1 ? '' : 's'}`, '', ...out.records.map((r) => `- ${escapeMarkdown(`${r.model} v${r.version}: ${r.from ?? 'new'} -> ${r.to} (${r.source?.commit?.slice(0, 12) ?? ''})`)}`)]
    : ['### modelgate: nothing to record'];
  if (out.commit) summary.push('', `Audit commit: \`${out.commit}\``);
  await writeSummary(summary.join('\n'));
  info(out.records.length ? `modelgate: recorded ${out.records.length} transition(s)${out.commit ? ` in ${out.commit}` : ''}` : 'modelgate: nothing to record');
  return { ...(out.commit ? { commitSha: out.commit } : {}), recorded: out.records.length };
}

/**
 * The start of the pushed range. A new branch (all-zero `before`) has none; a `before` that
 * origin no longer has (a force push) cannot bound the range either: then everything reachable
 * is considered, and `record` skips what already has records.
 */
async function sinceOf(root: string, before: unknown): Promise<string | undefined> {
  if (typeof before !== 'string' || ZERO.test(before)) return undefined;
  try {
    await ensureHistory(root, [before]);
    return before;
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    core.warning(`modelgate: the push's previous tip ${before.slice(0, 12)} is not on origin (a force push?); recording every transition that has no record yet`);
    return undefined;
  }
}

/**
 * The approvals the records may name: those of the one pull request whose merge the range (as
 * it stands now) brought. Approvals are evidence in the records, not a condition of recording:
 * a lookup that fails is a warning, and the records then name the PR without approvers.
 */
function approvalsOfMerge(ctx: ActionContext, root: string, since: string | undefined): () => Promise<Pick<RecordOptions, 'approvals'>> {
  const known = new Map<number, Promise<Pick<RecordOptions, 'approvals'>>>();
  const lookUp = async (pr: number): Promise<Pick<RecordOptions, 'approvals'>> => {
    try {
      const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
      return { approvals: { kind: 'pr', ...(await approvalsOf(gh, ctx.repository, pr)) } };
    } catch (err) {
      if (!(err instanceof EnvironmentError)) throw err;
      core.warning(inertLegacy(`modelgate: could not read the approvals of #${pr} (${err.message}); the records name the PR without its approvers`));
      return {};
    }
  };
  return async () => {
    const layout = await readLayout(new WorktreeState(root));
    const pr = await mergedPullRequestNumber(root, since, layout.registry);
    if (pr === undefined) return {};
    if (!known.has(pr)) known.set(pr, lookUp(pr));
    return known.get(pr)!;
  };
}
