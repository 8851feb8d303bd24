/**
 * The runner's checkout as actions/checkout leaves it: by default a shallow clone (depth 1) of
 * one commit, with credentials for `origin` in the repository's local config. modelgate needs
 * history (base commits, when a version entered its stage, who held Production before), so it
 * fetches what is missing from `origin` itself: the default checkout settings work.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import { EnvironmentError, InputError } from '../errors';
import { git, scrubUrl } from '../git/exec';
import { headSha, isAncestor } from '../git/history';
import { info } from './log';

const SHA = /^[0-9a-f]{40}$/;

export async function isShallow(root: string): Promise<boolean> {
  const r = await git(['rev-parse', '--is-shallow-repository'], { cwd: root });
  return r.stdout.trim() === 'true';
}

export async function hasCommit(root: string, sha: string): Promise<boolean> {
  const r = await git(['cat-file', '-e', `${sha}^{commit}`], { cwd: root, allowFail: true });
  return r.code === 0;
}

async function fetchFromOrigin(root: string, args: string[]): Promise<{ ok: boolean; said: string }> {
  const r = await git(['-c', 'protocol.version=2', 'fetch', '--quiet', '--no-tags', '--no-recurse-submodules', ...args], { cwd: root, allowFail: true });
  const said = scrubUrl(r.stderr.trim()).split('\n').filter(Boolean).pop() ?? `exit ${r.code}`;
  return { ok: r.code === 0, said };
}

/**
 * Completes a shallow checkout's history and makes sure each commit of `need` is present.
 * When the history cannot be completed: with `historyRequired` (record, which would otherwise
 * skip commits at the shallow boundary) an environment failure, else a warning (checks that
 * read history then know less and fail closed). A needed commit that cannot be fetched is an
 * environment failure.
 */
export async function ensureHistory(root: string, need: string[] = [], opts: { historyRequired?: boolean } = {}): Promise<void> {
  for (const sha of need) {
    if (!SHA.test(sha)) throw new InputError(`'${sha}' in the event payload is not a commit sha`);
  }
  if (await isShallow(root)) {
    info('modelgate: the checkout is shallow; fetching its history from origin (actions/checkout with fetch-depth: 0 skips this)');
    const done = await fetchFromOrigin(root, ['--unshallow', 'origin', await headSha(root)]);
    if (!done.ok) {
      const what = `could not fetch the history of the checkout (git said: ${done.said})`;
      if (opts.historyRequired) throw new EnvironmentError(what, { hint: 'use actions/checkout with fetch-depth: 0' });
      core.warning(`modelgate: ${what}; use actions/checkout with fetch-depth: 0`);
    }
  }
  for (const sha of need) {
    if (await hasCommit(root, sha)) continue;
    const depth = (await isShallow(root)) ? ['--depth=1'] : [];
    const got = await fetchFromOrigin(root, [...depth, 'origin', sha]);
    if (!got.ok || !(await hasCommit(root, sha))) {
      throw new EnvironmentError(`commit ${sha.slice(0, 12)} is not in the checkout and could not be fetched from origin (git said: ${got.said})`, {
        hint: 'check out with actions/checkout (its credentials let modelgate fetch), or set fetch-depth: 0',
      });
    }
  }
}

/**
 * Moves the checked-out branch to the tip of `origin/<branch>` when it is behind; refuses when
 * the branch has commits the remote lacks (they would be lost). Returns the tip.
 */
export async function catchUpWithOrigin(root: string, branch: string): Promise<string> {
  const got = await fetchFromOrigin(root, ['origin', `refs/heads/${branch}`]);
  if (!got.ok) throw new EnvironmentError(`git fetch origin ${branch} failed: ${got.said}`, { hint: 'check the checkout’s credentials and the remote (git remote -v)' });
  const tip = (await git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'], { cwd: root })).stdout.trim();
  const head = await headSha(root);
  if (head === tip) return tip;
  if (!(await isAncestor(root, head, tip))) {
    throw new EnvironmentError(`the checkout of ${branch} has commits that origin/${branch} lacks; modelgate will not drop them`, {
      hint: 'push them first, or run modelgate in a fresh checkout of the branch',
    });
  }
  await moveTo(root, tip);
  return tip;
}

/** `reset --keep`: moves the branch, refusing to overwrite uncommitted changes to files that differ. */
export async function moveTo(root: string, sha: string): Promise<void> {
  const r = await git(['reset', '--quiet', '--keep', sha], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    throw new EnvironmentError(`cannot move the checkout to ${sha.slice(0, 12)}: ${scrubUrl(r.stderr.trim())}`, {
      hint: 'uncommitted changes in the checkout touch the same files; run modelgate in a clean checkout',
    });
  }
}

/** Puts back files modelgate wrote but did not commit: tracked ones from HEAD, new ones deleted. */
export async function discardWrites(root: string, files: string[]): Promise<void> {
  for (const f of files) {
    const tracked = await git(['cat-file', '-e', `HEAD:${f}`], { cwd: root, allowFail: true });
    if (tracked.code === 0) await git(['--literal-pathspecs', 'checkout', 'HEAD', '--', f], { cwd: root });
    else await rm(join(root, f), { force: true });
  }
}
