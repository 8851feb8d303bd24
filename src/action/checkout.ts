/**
 * The runner's checkout as actions/checkout leaves it: by default a shallow clone (depth 1) of
 * one commit, with credentials for `origin` in the repository's local config. modelgate needs
 * history (base commits, when a version entered its stage, who held Production before), so it
 * fetches what is missing from `origin` itself: the default checkout settings work.
 */
import * as core from '@actions/core';
import { EnvironmentError, InputError } from '../errors';
import { git, scrubUrl } from '../git/exec';
import { headSha } from '../git/history';
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
