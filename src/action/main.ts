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
import { exitOnSignals, exitWhenDone } from '../cli/signals';
import { isSupervisedChild, stopWithParent, superviseSelf } from '../cli/supervise';

async function run(): Promise<void> {
  let token = '';
  try {
    const ctx = readContext();
    token = ctx.inputs.token;
    const plan = planFor(ctx);
    if (plan.kind === 'none') {
      info(`modelgate: ${plan.why}`);
      return;
    }
    if (plan.kind === 'check') {
      const { onPullRequest } = await import('./pullRequest');
      const r = await onPullRequest(ctx);
      core.setOutput('decision', r.decision);
      core.setOutput('report-path', r.reportPath);
      if (r.decision === 'deny' && ctx.inputs.failOnDeny) core.setFailed('modelgate: the policy denied at least one transition (see the report in the job summary)');
      return;
    }
    if (plan.kind === 'merge-group') {
      const { onMergeGroup } = await import('./mergeGroup');
      const r = await onMergeGroup(ctx);
      core.setOutput('decision', r.decision);
      core.setOutput('report-path', r.reportPath);
      if (r.decision === 'deny' && ctx.inputs.failOnDeny) core.setFailed('modelgate: the policy denied at least one transition of the merge group (see the report in the job summary)');
      return;
    }
    if (plan.kind === 'record') {
      const { onPush } = await import('./push');
      const r = await onPush(ctx);
      core.setOutput('decision', 'allow');
      if (r.commitSha) core.setOutput('commit-sha', r.commitSha);
      return;
    }
    const { onDispatch } = await import('./dispatch');
    const r = await onDispatch(ctx, plan.command);
    core.setOutput('decision', r.decision);
    core.setOutput('report-path', r.reportPath);
    if (r.commitSha) core.setOutput('commit-sha', r.commitSha);
    if (r.decision === 'deny' && ctx.inputs.failOnDeny) core.setFailed(`modelgate: ${plan.command} denied by policy (see the report in the job summary)`);
  } catch (err) {
    core.setOutput('decision', 'error');
    const text = err instanceof ModelgateError ? formatError(err) : `internal error: ${(err as Error)?.message ?? String(err)}`;
    core.setFailed(inertLegacy(scrub(text, token)));
    await summarizeFailure(scrub(text, token));
    // The spec's exit codes: 2 bad input, 3 environment (and anything unexpected): fail closed.
    process.exitCode = err instanceof ModelgateError ? err.exitCode : 3;
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
