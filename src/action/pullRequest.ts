/**
 * pull_request: the gate. `check` with base = the PR's base commit (policies from it), head =
 * the checked-out tree; report to the job summary, one sticky comment, annotations on the
 * manifest line of each denied version.
 */
import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runCheck, type CheckOutcome } from '../commands/check';
import { renderCheck, trimMarkdown, SUMMARY_LIMIT_BYTES, COMMENT_LIMIT_CHARS } from '../report/check';
import { git } from '../git/exec';
import { createGitHub, scrub, statusOf } from '../github/client';
import { prApprovals, teamMembers } from '../github/reviews';
import { upsertComment } from '../github/comment';
import { InputError } from '../errors';
import type { ActionContext } from './context';

interface PullRequestPayload {
  number: number;
  user: { login: string };
  base: { sha: string; ref: string };
  head: { sha: string; repo?: { full_name?: string } | null };
}

export async function onPullRequest(ctx: ActionContext): Promise<{ decision: string; reportPath: string }> {
  const pr = ctx.payload.pull_request as PullRequestPayload | undefined;
  if (!pr?.base?.sha) throw new InputError('the pull_request event payload has no pull_request.base.sha');
  const repo = resolve(ctx.workspace, ctx.inputs.repoPath);
  await ensureCommit(repo, pr.base.sha);

  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const approvers = await prApprovals(gh, ctx.repository, { number: pr.number, headSha: pr.head.sha, author: pr.user.login });
  const teams = new Map<string, Promise<string[]>>();
  const outcome: CheckOutcome = await runCheck({
    repo,
    format: 'markdown',
    now: new Date(),
    env: ctx.env,
    base: pr.base.sha,
    approvals: { kind: 'pr', approvers },
    resolveTeam: (team) => {
      if (!teams.has(team)) teams.set(team, teamMembers(gh, team));
      return teams.get(team)!;
    },
  });

  const markdown = renderCheck(outcome.report, 'markdown', { color: false });
  const reportPath = join(ctx.tempDir, 'modelgate-report.md');
  await writeFile(reportPath, markdown);
  await core.summary.addRaw(trimMarkdown(markdown, SUMMARY_LIMIT_BYTES)).write();

  for (const t of outcome.report.transitions) {
    if (t.decision !== 'deny') continue;
    const failed = t.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);
    core.error(`${t.model} v${t.version} ${t.from ?? 'new'} -> ${t.to ?? 'removed'} denied: ${failed.join('; ')}`, {
      title: 'modelgate',
      ...(t.file ? { file: t.file } : {}),
      ...(t.line ? { startLine: t.line } : {}),
    });
  }

  if (ctx.inputs.comment) {
    try {
      const commentBody = trimMarkdown(markdown, COMMENT_LIMIT_CHARS);
      await upsertComment(gh, ctx.repository, pr.number, commentBody);
    } catch (err) {
      // A fork's read-only token cannot comment; the summary and annotations still carry the verdict.
      if (statusOf(err) === 403 || statusOf(err) === 404) {
        core.warning(`could not comment on the pull request (${statusOf(err)}): the token is read-only, as it is for pull requests from forks. The report is in the job summary.`);
      } else {
        throw err;
      }
    }
  }
  return { decision: outcome.report.decision, reportPath };
}

/** Default actions/checkout is shallow: fetch the base commit when it is missing. */
async function ensureCommit(repo: string, sha: string): Promise<void> {
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new InputError(`'${sha}' is not a commit sha`);
  const have = await git(['cat-file', '-e', `${sha}^{commit}`], { cwd: repo, allowFail: true });
  if (have.code === 0) return;
  const fetched = await git(['fetch', '--no-tags', '--depth=1', 'origin', sha], { cwd: repo, allowFail: true });
  if (fetched.code !== 0) {
    throw new InputError(`the base commit ${sha.slice(0, 12)} is not in the checkout and could not be fetched`, {
      hint: `use actions/checkout with fetch-depth: 0 (git said: ${fetched.stderr.trim().split('\n').pop()})`,
    });
  }
}

export function retryTuning(env: Record<string, string | undefined>): { backoffMs?: number } {
  const ms = Number(env.MODELGATE_RETRY_BASE_MS);
  return Number.isFinite(ms) && ms > 0 ? { backoffMs: ms } : {};
}

export { scrub };
