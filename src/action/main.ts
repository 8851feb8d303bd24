/**
 * The Action face: the runner's environment turned into the same commands the CLI runs.
 * Fail closed: any error sets `decision=error` and fails the step; nothing prints the token.
 * Kept small on purpose: an event with nothing to do loads neither octokit nor the AWS SDK.
 */
import * as core from '@actions/core';
import { readContext } from './context';
import { ModelgateError, formatError } from '../errors';
import { scrub } from '../github/client';
import { info, inertLegacy } from './log';
import { planFor } from './plan';
import type { ActionContext } from './context';
import { exitCodeOf, failed, type Outcome } from '../commands/outcome';
import { exitOnSignals, exitWhenDone } from '../cli/signals';
import { isSupervisedChild, stopWithParent, superviseSelf } from '../cli/supervise';

/** What a step ends with: the command's outcome, what the outputs say, and the line that fails the step on deny. */
interface StepOutcome extends Outcome {
  reportPath?: string;
  commitSha?: string;
  deniedLine?: string;
}

async function run(): Promise<void> {
  let token = '';
  let failOnDeny = true;
  let o: StepOutcome;
  try {
    const ctx = readContext();
    token = ctx.inputs.token;
    failOnDeny = ctx.inputs.failOnDeny;
    o = await runPlan(ctx, planFor(ctx));
  } catch (err) {
    o = failed(err);
  }
  await settle(o, { token, failOnDeny });
}

/** The event's plan, run: every branch ends in one StepOutcome (a thrown error is one too). */
async function runPlan(ctx: ActionContext, plan: ReturnType<typeof planFor>): Promise<StepOutcome> {
  if (plan.kind === 'none') {
    info(`modelgate: ${plan.why}`);
    return {};
  }
  if (plan.kind === 'check') {
    const { onPullRequest } = await import('./pullRequest');
    return { ...(await onPullRequest(ctx)), deniedLine: 'modelgate: the policy denied at least one transition (see the report in the job summary)' };
  }
  if (plan.kind === 'merge-group') {
    const { onMergeGroup } = await import('./mergeGroup');
    return { ...(await onMergeGroup(ctx)), deniedLine: 'modelgate: the policy denied at least one transition of the merge group (see the report in the job summary)' };
  }
  const { assertSyncReady, assertSyncRef, syncAfterPush } = await import('./sync');
  assertSyncReady(ctx); // before anything is pushed
  assertSyncRef(ctx, plan.kind);
  // syncAfterPush never throws: git has moved, so a failure there fails the step (exit 3, "git is
  // ahead of MLflow") and leaves decision and commit-sha saying what git holds.
  if (plan.kind === 'record') {
    const { onPush } = await import('./push');
    const pushed = await onPush(ctx);
    await syncAfterPush(ctx, { since: ctx.payload.before });
    return { decision: 'allow', ...pushed };
  }
  const { onDispatch } = await import('./dispatch');
  const decided = await onDispatch(ctx, plan.command);
  if (decided.decision === 'allow') await syncAfterPush(ctx, { model: ctx.inputs.model });
  return { ...decided, deniedLine: `modelgate: ${plan.command} denied by policy (see the report in the job summary)` };
}

/**
 * Outputs, step failure and exit code from the outcome (exitCodeOf, as the CLI): a fault is
 * `decision=error` and fails the step, a deny fails it unless fail-on-deny is off.
 */
async function settle(o: StepOutcome, opts: { token: string; failOnDeny: boolean }): Promise<void> {
  const fault = o.faults?.[0];
  if (fault !== undefined) {
    core.setOutput('decision', 'error');
    const text = fault instanceof ModelgateError ? formatError(fault) : `internal error: ${(fault as Error)?.message ?? String(fault)}`;
    core.setFailed(inertLegacy(scrub(text, opts.token)));
    await summarizeFailure(scrub(text, opts.token));
    // The spec's exit codes: 2 bad input, 3 environment (and anything unexpected): fail closed.
    process.exitCode = exitCodeOf(o);
    return;
  }
  if (o.decision === undefined) return; // nothing to do
  core.setOutput('decision', o.decision);
  if (o.reportPath !== undefined) core.setOutput('report-path', o.reportPath);
  if (o.commitSha) core.setOutput('commit-sha', o.commitSha);
  if (o.decision === 'deny' && opts.failOnDeny) {
    core.setFailed(o.deniedLine ?? 'modelgate: denied by policy');
    process.exitCode = exitCodeOf(o);
  }
}

/** An event the Action ignores needs no watched child (and keeps the idle step at one process). */
function nothingToDo(): boolean {
  try {
    // A copy: readContext takes the token out of the environment it reads, and the child needs it.
    return planFor(readContext({ ...process.env })).kind === 'none';
  } catch {
    return false; // the child reports it
  }
}

/** The job summary says the step could not judge (never a silent green). */
async function summarizeFailure(text: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    const { escapeMarkdown } = await import('../report/markdown');
    const lines = text.split('\n').map((l) => escapeMarkdown(l.trim()));
    await core.summary.addRaw(`### modelgate could not judge: nothing was allowed\n\n${lines.join('<br>\n')}\n`).write();
  } catch {
    // the failure itself is already reported through setFailed
  }
}

const stopped = (line: string) => {
  core.setOutput('decision', 'error');
  core.setFailed(line);
};
// The step runs in a watched child, so out of memory is exit 3 and decision=error too (cli/supervise.ts).
if (isSupervisedChild() || nothingToDo()) {
  exitOnSignals(stopped);
  stopWithParent();
  void run().finally(exitWhenDone);
} else {
  superviseSelf(stopped);
}
