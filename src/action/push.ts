/** push to the default branch: record the transitions merged in the pushed range, commit, push with retry. */
import { resolve } from 'node:path';
import { runRecord } from '../commands/record';
import { git } from '../git/exec';
import * as core from '@actions/core';
import type { ActionContext } from './context';

const ZERO = /^0{40}$/;

export async function onPush(ctx: ActionContext): Promise<{ commitSha?: string; recorded: number }> {
  const repo = resolve(ctx.workspace, ctx.inputs.repoPath);
  const before = typeof ctx.payload.before === 'string' ? ctx.payload.before : undefined;
  // A new branch (all-zero `before`) or a `before` missing from a shallow checkout: record
  // everything reachable; record is idempotent, so nothing is recorded twice.
  let since: string | undefined;
  if (before && !ZERO.test(before)) {
    const have = await git(['cat-file', '-e', `${before}^{commit}`], { cwd: repo, allowFail: true });
    if (have.code !== 0) await git(['fetch', '--no-tags', '--deepen=50', 'origin'], { cwd: repo, allowFail: true });
    const again = await git(['cat-file', '-e', `${before}^{commit}`], { cwd: repo, allowFail: true });
    since = again.code === 0 ? before : undefined;
  }
  const out = await runRecord({
    repo,
    format: 'text',
    now: new Date(),
    env: ctx.env,
    ...(since ? { since } : {}),
    ...(ctx.actor ? { actor: ctx.actor } : {}),
    commit: true,
    push: true,
  });
  for (const b of out.bypassed) core.warning(`${b.model} v${b.version} was merged in ${b.commit.slice(0, 12)} with failing checks: ${b.failed.join(', ')}`);
  core.info(out.records.length ? `recorded ${out.records.length} transition(s)` : 'nothing to record');
  return { ...(out.commit ? { commitSha: out.commit } : {}), recorded: out.records.length };
}
