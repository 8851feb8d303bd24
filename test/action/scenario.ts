/**
 * Helpers for the Action's commit flows (dispatch, push): one registry world per test, branch
 * checkouts of main, dispatch runs with the token check applied to every run, and readers of
 * what reached the remote. Everything made is cleaned up by `cleanup()` (call it in afterEach).
 */
import { expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitIn } from '../helpers/git';
import { actionsCheckout, dispatchPayload, expectTokenHidden, makeWorld, runAction, TOKEN, type ActionRun, type RunOptions, type Runner, type World } from './harness';

const cleanups: (() => Promise<void>)[] = [];

export async function cleanup(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}

export async function world(o: Parameters<typeof makeWorld>[1] = {}, files: Parameters<typeof makeWorld>[0] = {}): Promise<World> {
  const w = await makeWorld(files, o);
  cleanups.push(() => w.cleanup());
  return w;
}

/** A checkout of main's tip as actions/checkout makes it for push and workflow_dispatch. */
export async function checkoutMain(w: World, token?: string): Promise<Runner> {
  const sha = (await w.remoteGit(['rev-parse', 'main'])).trim();
  const r = await actionsCheckout(w, { branch: 'main', sha }, token ? { token } : {});
  cleanups.push(() => r.cleanup());
  return r;
}

export function tokenHidden(run: ActionRun, token = TOKEN): void {
  expectTokenHidden(run, token, (ok, what) => expect(ok, what).toBe(true));
}

/** Runs the Action with the token check applied. */
export async function act(w: World, runner: Runner, o: RunOptions): Promise<ActionRun> {
  const run = await runAction(w, runner, o);
  tokenHidden(run, o.token ?? TOKEN);
  return run;
}

/** A workflow_dispatch whose inputs are passed to the step as `with:` (as the example workflow does). */
export async function dispatch(w: World, inputs: Record<string, string>, o: { actor?: string; runner?: Runner; token?: string } = {}): Promise<ActionRun> {
  const runner = o.runner ?? (await checkoutMain(w));
  const actor = o.actor ?? 'alice';
  return act(w, runner, { event: 'workflow_dispatch', payload: dispatchPayload(inputs, actor), inputs, actor, ...(o.token ? { token: o.token } : {}) });
}

export const remoteHead = async (w: World): Promise<string> => (await w.remoteGit(['rev-parse', 'main'])).trim();

/** The trailers of a commit on the remote, one `Key: value` per entry. */
export const trailers = async (w: World, ref = 'main'): Promise<string[]> =>
  (await w.remoteGit(['log', '-1', '--format=%(trailers:only,unfold)', ref])).trim().split('\n');

/** A fresh clone of the remote (what an auditor would verify). */
export async function freshClone(w: World): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'mg-verify-'));
  cleanups.push(() => rm(base, { recursive: true, force: true }));
  await gitIn(base, ['clone', '-q', w.remote.dir, 'repo']);
  return join(base, 'repo');
}

export async function auditRecords(dir: string): Promise<Record<string, unknown>[]> {
  return (await readFile(join(dir, 'audit/churn-predictor.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
