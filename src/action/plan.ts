/** Which command an event asks for: the `command` input, or what `auto` means on this event. */
import { InputError } from '../errors';
import type { ActionContext } from './context';

const DECISIONS = ['promote', 'archive', 'rollback', 'register'] as const;
export type DecisionCommand = (typeof DECISIONS)[number];

export type Plan = { kind: 'none'; why: string } | { kind: 'check' } | { kind: 'merge-group' } | { kind: 'record' } | { kind: 'decide'; command: DecisionCommand };

/**
 * Events that gate a pull request: its pushes, and its reviews (an approval changes the
 * verdict, so the gate runs again without a new push). Both carry `pull_request` and check out
 * GitHub's merge commit.
 */
const CHECK_EVENTS = ['pull_request', 'pull_request_review'];

/** What this event asks of modelgate. */
export function planFor(ctx: ActionContext): Plan {
  const c = ctx.inputs.command;
  const event = ctx.eventName || 'unknown';
  if (c === 'auto') {
    if (CHECK_EVENTS.includes(event)) return { kind: 'check' };
    // A merge queue judges the group like a PR: passing it unjudged would let two PRs that
    // each pass merge into a state neither was judged in (two Production versions).
    if (event === 'merge_group') return { kind: 'merge-group' };
    if (event === 'push') return pushPlan(ctx);
    if (event === 'workflow_dispatch') {
      throw new InputError("workflow_dispatch needs the 'command' input: promote, archive, rollback or register", {
        hint: 'pass command: ${{ inputs.command }} (or a fixed command) to the modelgate step',
      });
    }
    if (event === 'pull_request_target') throw pullRequestTarget();
    return { kind: 'none', why: `nothing to do on '${event}' events with command 'auto'` };
  }
  if (c === 'check') {
    if (event === 'pull_request_target') throw pullRequestTarget();
    if (event === 'merge_group') return { kind: 'merge-group' };
    if (!CHECK_EVENTS.includes(event)) throw new InputError(`command 'check' runs on pull_request, pull_request_review and merge_group events, not '${event}'`, { hint: 'run `modelgate check` with the CLI for other checks' });
    return { kind: 'check' };
  }
  if (c === 'record') return { kind: 'record' };
  const decision = DECISIONS.find((d) => d === c);
  if (decision) return { kind: 'decide', command: decision };
  throw new InputError(`unknown command '${c}'`, { hint: `use auto, check, record, ${DECISIONS.join(', ')}` });
}

/** `push`: record only what reaches the default branch; other branches and deletions are no-ops. */
function pushPlan(ctx: ActionContext): Plan {
  const p = ctx.payload as { ref?: string; deleted?: boolean; repository?: { default_branch?: string } };
  if (p.deleted) return { kind: 'none', why: 'the push deleted a branch' };
  const main = p.repository?.default_branch;
  if (main && p.ref !== `refs/heads/${main}`) return { kind: 'none', why: `push to ${p.ref ?? 'an unknown ref'}: modelgate records pushes to the default branch (${main})` };
  return { kind: 'record' };
}

function pullRequestTarget(): InputError {
  return new InputError('modelgate does not gate pull_request_target events', {
    hint: 'use on: pull_request. pull_request_target runs with a write token next to untrusted PR content; fork PRs get their report in the job summary instead of a comment',
  });
}
