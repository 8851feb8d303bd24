/**
 * The Action face: the runner's environment turned into the same commands the CLI runs.
 * Fail closed: any error sets `decision=error` and fails the step; nothing prints the token.
 */
import * as core from '@actions/core';
import { readContext, type ActionContext } from './context';
import { InputError, ModelgateError, formatError } from '../errors';
import { scrub } from '../github/client';

function commandFor(ctx: ActionContext): string {
  const c = ctx.inputs.command;
  if (c !== 'auto') return c;
  if (ctx.eventName === 'pull_request') return 'check';
  if (ctx.eventName === 'push') return 'record';
  return 'none';
}

async function run(): Promise<void> {
  let token = '';
  try {
    const ctx = readContext();
    token = ctx.inputs.token;
    const command = commandFor(ctx);
    if (command === 'none') {
      core.info(`modelgate: nothing to do on '${ctx.eventName || 'unknown'}' events with command 'auto'; set the 'command' input for workflow_dispatch`);
      return;
    }
    if (command === 'check') {
      if (ctx.eventName !== 'pull_request') throw new InputError("command 'check' runs on pull_request events", { hint: 'use command: auto, or run the CLI for local checks' });
      const { onPullRequest } = await import('./pullRequest');
      const r = await onPullRequest(ctx);
      core.setOutput('decision', r.decision);
      core.setOutput('report-path', r.reportPath);
      if (r.decision === 'deny' && ctx.inputs.failOnDeny) core.setFailed('modelgate: the policy denied at least one transition (see the report)');
      return;
    }
    if (command === 'record') {
      const { onPush } = await import('./push');
      const r = await onPush(ctx);
      core.setOutput('decision', 'allow');
      if (r.commitSha) core.setOutput('commit-sha', r.commitSha);
      return;
    }
    const { onDispatch } = await import('./dispatch');
    const r = await onDispatch(ctx, command);
    core.setOutput('decision', r.decision);
    if (r.commitSha) core.setOutput('commit-sha', r.commitSha);
    if (r.decision === 'deny' && ctx.inputs.failOnDeny) core.setFailed(`modelgate: ${command} denied by policy (see the job summary)`);
  } catch (err) {
    core.setOutput('decision', 'error');
    const text = err instanceof ModelgateError ? formatError(err) : `internal error: ${(err as Error)?.message ?? String(err)}`;
    core.setFailed(scrub(text, token));
    // The spec's exit codes: 2 bad input, 3 environment (and anything unexpected): fail closed.
    process.exitCode = err instanceof ModelgateError ? err.exitCode : 3;
  }
}

void run();
