/**
 * push to the default branch: `record` the transitions merged in the pushed range (from the
 * event's `before` to the checked-out tip), and publish the audit records like `record --push`
 * (git push with retry, or through the API under commit-mode api).
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { runRecord, type RecordOptions } from '../commands/record';
import { repoRoot } from '../commands/repoRoot';
import { escapeMarkdown } from '../report/markdown';
import { EnvironmentError } from '../errors';
import { createGitHub, type GitHub } from '../github/client';
import { ensureHistory } from './checkout';
import { publisherOf, retryTuning } from './gitHubApi';
import { attributionFromGitHub } from './mergedPullRequest';
import { info, inertLegacy } from './log';
import { writeSummary } from './summary';
import { lazyTeamResolver } from './teams';
import type { ActionContext } from './context';

const ZERO = /^0{40}$/;

export async function onPush(ctx: ActionContext): Promise<{ commitSha?: string; recorded: number; faults?: Error[] }> {
  const root = await repoRoot(resolve(ctx.workspace, ctx.inputs.repoPath), { within: ctx.workspace });
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
    // Per recorded commit (a retry on a newer tip may bring more merges), from GitHub.
    attribute: attributionFromGitHub(lazyGitHub(ctx), ctx.repository),
  };
  // Committed and published like `record --push`, through the API under commit-mode api.
  const out = await runRecord({
    ...opts,
    push: true,
    publisher: publisherOf(ctx),
    onRetry: (text) => info(`modelgate: ${text}`),
  });

  if (out.faults.length) return { recorded: 0, faults: out.faults }; // nothing was recorded
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

/** One API client for the run, created on the first lookup (a push with nothing to record loads no octokit). */
function lazyGitHub(ctx: ActionContext): () => Promise<GitHub> {
  let gh: Promise<GitHub> | undefined;
  return () => (gh ??= createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) }));
}
