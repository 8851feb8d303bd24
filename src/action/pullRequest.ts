/**
 * pull_request: the gate. `check` with base = the PR's base commit (policies from it), head =
 * the checked-out merge commit; the report goes to the job summary and one sticky comment, and
 * each denied version gets an annotation on its manifest line.
 */
import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runCheck } from '../commands/check';
import { repoRoot } from '../commands/repoRoot';
import { renderCheck, trimMarkdown, SUMMARY_LIMIT_BYTES, COMMENT_LIMIT_CHARS } from '../report/check';
import type { CheckReport } from '../policy/types';
import { git } from '../git/exec';
import { createGitHub, GitHubApiError, type GitHub } from '../github/client';
import { prApprovals } from '../github/reviews';
import { teamResolver } from './teams';
import { upsertComment } from '../github/comment';
import { InputError } from '../errors';
import { ensureHistory } from './checkout';
import { retryTuning } from './gitHubApi';
import { info, inertLegacy } from './log';
import { writeSummary } from './summary';
import type { ActionContext } from './context';

interface PullRequest {
  number: number;
  author: string;
  baseSha: string;
  headSha: string;
}

/** The fields we read from GitHub's pull_request webhook payload, checked. */
/**
 * What every judged event publishes: the markdown report as a file (output `report-path`), the
 * job summary, the text report in the log, and annotations on manifest lines.
 */
export async function publishCheck(ctx: ActionContext, report: CheckReport): Promise<{ markdown: string; reportPath: string }> {
  const markdown = renderCheck(report, 'markdown', { color: false });
  const reportPath = join(ctx.tempDir, 'modelgate-report.md');
  await writeFile(reportPath, markdown);
  await writeSummary(trimMarkdown(markdown, SUMMARY_LIMIT_BYTES));
  info(renderCheck(report, 'text', { color: false }));
  annotate(report);
  return { markdown, reportPath };
}

export function pullRequestOf(payload: Record<string, unknown>): PullRequest {
  const pr = payload.pull_request as
    | { number?: unknown; user?: { login?: unknown } | null; base?: { sha?: unknown }; head?: { sha?: unknown } }
    | undefined;
  const number = pr?.number;
  const baseSha = pr?.base?.sha;
  const headSha = pr?.head?.sha;
  if (typeof number !== 'number' || typeof baseSha !== 'string' || typeof headSha !== 'string') {
    throw new InputError('the pull_request event payload lacks pull_request.number, base.sha or head.sha', {
      hint: 'run the gate on `on: pull_request` events',
    });
  }
  return { number, author: typeof pr?.user?.login === 'string' ? pr.user.login : '', baseSha, headSha };
}

export async function onPullRequest(ctx: ActionContext): Promise<{ decision: 'allow' | 'deny'; reportPath?: string; faults?: Error[] }> {
  const pr = pullRequestOf(ctx.payload);
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
  await ensureHistory(root, [pr.baseSha]);
  const base = await baseOf(root, pr);

  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const { approvers, withoutWriteAccess } = await prApprovals(gh, ctx.repository, { number: pr.number, headSha: pr.headSha, author: pr.author });
  const outcome = await runCheck({
    repo: root,
    format: 'markdown',
    now: new Date(),
    env: ctx.env,
    base,
    // The checked-out PR commit, read from git objects: what merges is the commit, and any
    // question about the working tree makes git load its whole index (seconds and ~700 MB for
    // a checkout of 1.8M run files, whatever the pathspec). See bench/README.md, check_small_pr.
    head: 'HEAD',
    approvals: { kind: 'pr', approvers, withoutWriteAccess },
    resolveTeam: teamResolver(gh),
  });

  if (outcome.faults.length) return { decision: outcome.decision, faults: outcome.faults }; // no verdict: nothing published
  const report = outcome.report;
  const { markdown, reportPath } = await publishCheck(ctx, report);
  // A PR that changes no model gets no new comment; one that had a verdict gets it updated.
  const judged = report.transitions.length > 0 || (report.checks ?? []).length > 0;
  if (ctx.inputs.comment) await comment(gh, ctx, pr.number, trimMarkdown(markdown, COMMENT_LIMIT_CHARS), judged);
  return { decision: report.decision, reportPath };
}

/**
 * The base the change is judged against. actions/checkout checks out GitHub's merge commit
 * (base tip + PR head); its first parent is the base commit that merge was built on. When the
 * payload's base.sha is older than that (the base branch moved since the event was built), the
 * merge's parent is used, so other people's merged changes are not mistaken for this PR's.
 */
async function baseOf(root: string, pr: PullRequest): Promise<string> {
  const r = await git(['rev-list', '--parents', '-n', '1', 'HEAD'], { cwd: root });
  const [, first, second, ...more] = r.stdout.trim().split(' ');
  if (first && second === pr.headSha && more.length === 0 && first !== pr.baseSha) {
    info(`modelgate: judging against ${first.slice(0, 12)}, the base commit of the checked-out merge (the event's base.sha ${pr.baseSha.slice(0, 12)} is older)`);
    return first;
  }
  return pr.baseSha;
}

/**
 * `::error file=…,line=…` on the manifest line of each denied version (the `stage:` line of the
 * head manifest); the file is relative to the repository root, as GitHub matches annotations
 * to the PR's files. @actions/core escapes the message and properties, and `##[` is broken, so
 * user text in check messages cannot form a workflow command.
 */
export function annotate(report: CheckReport): void {
  for (const t of report.transitions) {
    if (t.decision !== 'deny') continue;
    const failed = t.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);
    core.error(inertLegacy(`modelgate: ${t.model} v${t.version} ${t.from ?? 'new'} -> ${t.to ?? 'removed'} denied: ${failed.join('; ')}`), {
      ...(t.file ? { file: t.file } : {}),
      ...(t.line ? { startLine: t.line } : {}),
    });
  }
  for (const c of report.checks ?? []) {
    if (c.status === 'fail') core.error(inertLegacy(`modelgate: ${c.id}: ${c.message}`));
    else if (c.status === 'warn') core.warning(inertLegacy(`modelgate: ${c.id}: ${c.message}`));
  }
}

/** One sticky comment. A read-only token (a fork's PR) cannot write one: warn, the summary has the report. */
async function comment(gh: GitHub, ctx: ActionContext, number: number, body: string, create: boolean): Promise<void> {
  try {
    await upsertComment(gh, ctx.repository, number, body, { create });
  } catch (err) {
    if (err instanceof GitHubApiError && !err.outage && (err.status === 403 || err.status === 404)) {
      core.warning(
        `modelgate could not comment on the pull request (HTTP ${err.status}): the token is read-only, as it is for pull requests from forks. The report is in the job summary and in the annotations.`,
      );
      return;
    }
    throw err;
  }
}
