/**
 * workflow_dispatch (or any event with an explicit decision command): promote, archive,
 * rollback or register from the inputs. The dispatching actor is the actor and the approver.
 * commit-mode `git` commits with trailers and pushes with retry; `api` writes the same commit
 * through createCommitOnBranch (verified/signed by GitHub).
 */
import { join, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { archive, promote, register, rollback } from '../commands/decide';
import type { ApplyOptions, ApplyOutcome } from '../commands/apply';
import { repoRoot } from '../commands/repoRoot';
import { ciRunUrl } from '../commands/actor';
import { renderCheck, trimMarkdown, SUMMARY_LIMIT_BYTES } from '../report/check';
import { InputError } from '../errors';
import { lazyTeamResolver } from './teams';
import { ensureHistory } from './checkout';
import { publisherOf } from './gitHubApi';
import { info } from './log';
import { writeSummary } from './summary';
import type { DecisionCommand } from './plan';
import type { ActionContext } from './context';

export interface DispatchResult {
  decision: 'allow' | 'deny';
  reportPath?: string;
  commitSha?: string;
  faults?: Error[];
}

export async function onDispatch(ctx: ActionContext, command: DecisionCommand): Promise<DispatchResult> {
  const { inputs } = ctx;
  if (!inputs.model) throw new InputError(`input 'model' is required for ${command}`);
  if (!ctx.actor) throw new InputError('no actor: GITHUB_ACTOR is not set', { hint: 'run the Action in GitHub Actions' });
  assertDefaultBranch(ctx, command);
  const decide = decisionOf(ctx, command); // input errors before any fetch
  const root = await repoRoot(resolve(ctx.workspace, inputs.repoPath), { within: ctx.workspace });
  await ensureHistory(root);
  const runUrl = ciRunUrl(ctx.env);
  const opts: ApplyOptions = {
    repo: root,
    format: 'markdown',
    now: new Date(),
    env: ctx.env,
    actor: ctx.actor,
    ...(inputs.reason.trim() ? { reason: inputs.reason } : {}),
    source: { approvals: [ctx.actor], ...(runUrl ? { run_url: runUrl } : {}) },
    resolveTeam: lazyTeamResolver(ctx),
  };

  // Committed with trailers and published with retry: git push, or the API under commit-mode api.
  const outcome = await decide({ ...opts, commit: true, push: true, publisher: publisherOf(ctx), onRetry: (text) => info(`modelgate: ${text}`) });

  if (outcome.faults.length) return { decision: outcome.decision, faults: outcome.faults }; // no verdict: nothing written or shown
  const markdown = renderCheck(outcome.report, 'markdown', { color: false });
  const reportPath = join(ctx.tempDir, 'modelgate-report.md');
  await writeFile(reportPath, markdown);
  await writeSummary(trimMarkdown(markdown, SUMMARY_LIMIT_BYTES));
  info(renderCheck(outcome.report, 'text', { color: false }));
  if (outcome.commit) info(`modelgate: ${command} committed as ${outcome.commit}`);
  return { decision: outcome.report.decision, reportPath, ...(outcome.commit ? { commitSha: outcome.commit } : {}) };
}

/**
 * Decisions are made on the default branch only: policies come from the checked-out ref, and a
 * dispatch on a branch its pusher controls would be judged by that branch's policies (and
 * commit there). `allow-any-ref: true` is the explicit way out. A payload that does not say
 * which branch is the default cannot be checked: refused too.
 */
function assertDefaultBranch(ctx: ActionContext, command: DecisionCommand): void {
  if (ctx.inputs.allowAnyRef) return;
  const main = (ctx.payload.repository as { default_branch?: unknown } | undefined)?.default_branch;
  if (typeof main !== 'string' || main === '') {
    throw new InputError(`cannot tell whether ${ctx.ref || 'this ref'} is the default branch: the event payload has no repository.default_branch`, {
      hint: `run ${command} from a workflow_dispatch on the default branch, or pass allow-any-ref: true to allow any ref`,
    });
  }
  if (ctx.ref !== `refs/heads/${main}`) {
    throw new InputError(`${command} runs only on the default branch (refs/heads/${main}); this run is on '${ctx.ref || 'no ref'}'`, {
      hint: `dispatch the workflow on ${main} (policies are read from the dispatched ref), or pass allow-any-ref: true to allow other refs`,
    });
  }
}

/** The command the inputs name, as a function of the apply options; input errors surface here. */
function decisionOf(ctx: ActionContext, command: DecisionCommand): (opts: ApplyOptions) => Promise<ApplyOutcome> {
  const { inputs } = ctx;
  if ((command === 'archive' || command === 'rollback') && !inputs.reason.trim()) {
    throw new InputError(`${command} needs a reason`, { hint: "pass the 'reason' input (it is kept in the audit record and the commit message)" });
  }
  const version = (): number => {
    if (!/^[1-9][0-9]*$/.test(inputs.version)) throw new InputError(`input 'version' must be a version number, got '${inputs.version}'`);
    return Number(inputs.version);
  };
  switch (command) {
    case 'promote': {
      if (!inputs.to) throw new InputError("input 'to' is required for promote (a stage or @alias)");
      const v = version();
      return (o) => promote(o, inputs.model, v, inputs.to, inputs.alias || undefined);
    }
    case 'archive': {
      const v = version();
      return (o) => archive(o, inputs.model, v);
    }
    case 'rollback': {
      const target = { ...(inputs.version ? { to: version() } : {}), ...(inputs.alias ? { alias: inputs.alias.replace(/^@/, '') } : {}) };
      return (o) => rollback(o, inputs.model, target);
    }
    case 'register':
      if (!inputs.to) throw new InputError("input 'to' carries the run reference for register");
      return (o) => register(o, inputs.model, inputs.to, undefined);
  }
}
