/**
 * workflow_dispatch: promote, archive, rollback or register from the inputs. The dispatching
 * actor is the actor and the approver. commit-mode `git` commits and pushes with retry;
 * `api` writes the commit through createCommitOnBranch (verified/signed by GitHub).
 */
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { archive, promote, register, rollback } from '../commands/decide';
import type { ApplyOptions, ApplyOutcome } from '../commands/apply';
import { renderCheck, trimMarkdown, SUMMARY_LIMIT_BYTES } from '../report/check';
import { commitMessage } from '../audit/trailers';
import { git } from '../git/exec';
import { currentBranch } from '../git/history';
import { createGitHub } from '../github/client';
import { createCommitOnBranch, HeadMovedError } from '../github/commitOnBranch';
import { EnvironmentError, InputError } from '../errors';
import { ciRunUrl } from '../commands/actor';
import { retryTuning } from './pullRequest';
import type { ActionContext } from './context';

const MAX_API_ATTEMPTS = 5;

export async function onDispatch(ctx: ActionContext, command: string): Promise<{ decision: string; commitSha?: string }> {
  const repo = resolve(ctx.workspace, ctx.inputs.repoPath);
  const { inputs } = ctx;
  if (!inputs.model) throw new InputError(`input 'model' is required for ${command}`);
  const runUrl = ciRunUrl(ctx.env);
  const base: ApplyOptions = {
    repo,
    format: 'markdown',
    now: new Date(),
    env: ctx.env,
    actor: ctx.actor,
    ...(inputs.reason ? { reason: inputs.reason } : {}),
    source: { approvals: [ctx.actor], ...(runUrl ? { run_url: runUrl } : {}) },
  };
  const run = (opts: ApplyOptions): Promise<ApplyOutcome> => {
    const version = () => {
      if (!/^[1-9][0-9]*$/.test(inputs.version)) throw new InputError(`input 'version' must be a version number, got '${inputs.version}'`);
      return Number(inputs.version);
    };
    switch (command) {
      case 'promote':
        if (!inputs.to) throw new InputError("input 'to' is required for promote (a stage or @alias)");
        return promote(opts, inputs.model, version(), inputs.to);
      case 'archive':
        return archive(opts, inputs.model, version());
      case 'rollback':
        return rollback(opts, inputs.model, { ...(inputs.version ? { to: version() } : {}), ...(inputs.alias ? { alias: inputs.alias.replace(/^@/, '') } : {}) });
      case 'register':
        if (!inputs.to) throw new InputError("input 'to' carries the run reference for register");
        return register(opts, inputs.model, inputs.to, undefined);
      default:
        throw new InputError(`command '${command}' cannot run on workflow_dispatch`, { hint: 'use promote, archive, rollback or register' });
    }
  };

  const outcome = inputs.commitMode === 'api' ? await viaApi(ctx, repo, base, run) : await run({ ...base, commit: true, push: true });
  await core.summary.addRaw(trimMarkdown(renderCheck(outcome.report, 'markdown', { color: false }), SUMMARY_LIMIT_BYTES)).write();
  return { decision: outcome.report.decision, ...(outcome.commit ? { commitSha: outcome.commit } : {}) };
}

/** commit-mode api: apply locally without committing, then compare-and-swap the branch through GraphQL. */
async function viaApi(ctx: ActionContext, repo: string, base: ApplyOptions, run: (o: ApplyOptions) => Promise<ApplyOutcome>): Promise<ApplyOutcome> {
  const gh = await createGitHub({ token: ctx.inputs.token, baseUrl: ctx.apiUrl, ...retryTuning(ctx.env) });
  const branch = await currentBranch(repo);
  for (let attempt = 1; attempt <= MAX_API_ATTEMPTS; attempt++) {
    const head = (await git(['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    const outcome = await run({ ...base, commit: false, push: false });
    if (!outcome.written) return outcome;
    const changed = (await git(['status', '--porcelain', '-z', '--untracked-files=all'], { cwd: repo })).stdout
      .split('\0')
      .filter(Boolean)
      .map((l) => l.slice(3));
    const files = await Promise.all(changed.map(async (path) => ({ path, contents: await readFile(resolve(repo, path)) })));
    const [headline, ...rest] = commitMessage(outcome.records, base.reason).split('\n');
    try {
      const oid = await createCommitOnBranch(gh, {
        repository: `${ctx.repository.owner}/${ctx.repository.repo}`,
        branch,
        expectedHeadOid: head,
        headline: headline!,
        body: rest.join('\n').trim(),
        files,
      });
      return { ...outcome, commit: oid };
    } catch (err) {
      if (!(err instanceof HeadMovedError)) throw err;
      // The branch moved: drop our local change, take the new tip, judge again.
      await git(['fetch', '--no-tags', 'origin', branch], { cwd: repo });
      await git(['reset', '--hard', 'FETCH_HEAD'], { cwd: repo });
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt * Math.random()));
    }
  }
  throw new EnvironmentError(`the branch kept moving: ${MAX_API_ATTEMPTS} attempts to commit through the API were refused`, { hint: 'use a concurrency group for modelgate workflows and re-run' });
}
