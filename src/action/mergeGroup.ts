/**
 * merge_group (a merge queue): the group commit is judged like a pull request (SPEC section 8).
 * base = `merge_group.base_sha` (policies from it), head = the checked-out group commit, which
 * must be `merge_group.head_sha`; approvals are those of the queued pull request named in
 * `merge_group.head_ref` (`refs/heads/gh-readonly-queue/<base>/pr-<N>-<sha>`), counted as on a
 * PR (latest per reviewer on its head, write access, never its author). The report goes to the
 * job summary, annotations and outputs; there is no PR comment (a group has no single PR).
 * A payload that does not say what to judge is an input error: the step fails, never passes.
 */
import { resolve } from 'node:path';
import { runCheck } from '../commands/check';
import { repoRoot } from '../commands/repoRoot';
import { git } from '../git/exec';
import { createGitHub } from '../github/client';
import { prApprovals } from '../github/reviews';
import { InputError } from '../errors';
import { teamResolver } from './teams';
import { ensureHistory } from './checkout';
import { retryTuning } from './gitHubApi';
import { publishCheck } from './pullRequest';
import { info } from './log';
import type { ActionContext } from './context';

export interface MergeGroup {
  baseSha: string;
  headSha: string;
  /** The queued pull request the group's ref names (the last one queued). */
  pr: number;
}

const SHA = /^[0-9a-f]{40}$/;
/** GitHub's queue ref; the base branch may itself contain slashes. */
const QUEUE_REF = /^refs\/heads\/gh-readonly-queue\/(.+)\/pr-([1-9][0-9]*)-([0-9a-f]{40})$/;

/** The fields of GitHub's merge_group webhook payload we read, checked. */
export function mergeGroupOf(payload: Record<string, unknown>): MergeGroup {
  const g = payload.merge_group as { base_sha?: unknown; head_sha?: unknown; head_ref?: unknown; base_ref?: unknown } | undefined;
  const baseSha = g?.base_sha;
  const headSha = g?.head_sha;
  const headRef = g?.head_ref;
  if (typeof baseSha !== 'string' || !SHA.test(baseSha) || typeof headSha !== 'string' || !SHA.test(headSha) || typeof headRef !== 'string') {
    throw new InputError('the merge_group event payload lacks merge_group.base_sha, head_sha or head_ref: modelgate cannot judge this merge group', {
      hint: 'run the gate on `on: merge_group` events as GitHub sends them; the group is not allowed unjudged',
    });
  }
  const m = QUEUE_REF.exec(headRef);
  if (!m) {
    throw new InputError(`merge_group.head_ref '${headRef}' is not a merge queue ref (refs/heads/gh-readonly-queue/<base>/pr-<number>-<sha>): no queued pull request to take approvals from`);
  }
  if (typeof g?.base_ref === 'string' && g.base_ref !== `refs/heads/${m[1]}`) {
    throw new InputError(`merge_group.head_ref '${headRef}' does not queue onto merge_group.base_ref '${g.base_ref}'`);
  }
  return { baseSha, headSha, pr: Number(m[2]) };
}

export async function onMergeGroup(ctx: ActionContext): Promise<{ decision: 'allow' | 'deny'; reportPath?: string; faults?: Error[] }> {
  const group = mergeGroupOf(ctx.payload);
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
  const checkedOut = (await git(['rev-parse', 'HEAD'], { cwd: root })).stdout.trim();
  if (checkedOut !== group.headSha) {
    throw new InputError(`the checkout is at ${checkedOut.slice(0, 12)}, not the merge group commit ${group.headSha.slice(0, 12)}: modelgate judges the commit that merges`, {
      hint: 'check out the merge group commit (actions/checkout does on merge_group events)',
    });
  }
  await ensureHistory(root, [group.baseSha]);

  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const pull = await gh.request<{ head: { sha: string }; user: { login: string } | null }>('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...ctx.repository, pull_number: group.pr });
  const { approvers, withoutWriteAccess } = await prApprovals(gh, ctx.repository, { number: group.pr, headSha: pull.data.head.sha, author: pull.data.user?.login ?? '' });
  info(`modelgate: judging merge group ${group.headSha.slice(0, 12)} (queued #${group.pr}) against ${group.baseSha.slice(0, 12)}`);
  const outcome = await runCheck({
    repo: root,
    format: 'markdown',
    now: new Date(),
    env: ctx.env,
    base: group.baseSha,
    head: 'HEAD',
    approvals: { kind: 'pr', approvers, withoutWriteAccess },
    resolveTeam: teamResolver(gh),
  });

  if (outcome.faults.length) return { decision: outcome.decision, faults: outcome.faults }; // no verdict: nothing published
  const { reportPath } = await publishCheck(ctx, outcome.report);
  const report = outcome.report;
  return { decision: report.decision, reportPath };
}
