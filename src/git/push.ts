/**
 * The git side of publishing (SPEC §5 `--push`): fetch the remote branch, move the checkout
 * onto its tip, push HEAD, and tell a rejection because the branch moved from every other
 * failure. The retry loop around them is publish/retry.ts; we never rebase text (an audit log
 * must not be merged line by line): a rejected commit is dropped and the change made again.
 *
 * The user's commits are never dropped: a branch with commits the remote lacks is refused.
 */
import { EnvironmentError, InputError } from '../errors';
import { git, scrubUrl, type GitResult } from './exec';
import { countAhead, headSha, isAncestor } from './history';

/** Fetches the remote branch; its sha, or undefined when the remote has no such branch. */
export async function fetchTip(root: string, remote: string, branch: string): Promise<string | undefined> {
  const r = await git(['fetch', '--quiet', '--no-tags', '--', remote, `refs/heads/${branch}`], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) return undefined;
    throw remoteFailure(`git fetch from ${remote} failed`, r);
  }
  const sha = await git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'], { cwd: root });
  return sha.stdout.trim();
}

/**
 * Fast-forwards the checkout to the remote tip; refuses when the local branch has commits the
 * remote lacks. That refusal is bad input (exit 2), whoever publishes: the state the user
 * handed over is the problem, a re-run fails the same way, and only the user can fix it.
 */
export async function catchUp(root: string, target: string, tip: string): Promise<void> {
  const head = await headSha(root);
  if (head === tip) return;
  if (await isAncestor(root, head, tip)) return resetKeep(root, tip, target);
  const n = await countAhead(root, tip, head);
  throw new InputError(`your branch has ${n} commit${n === 1 ? '' : 's'} not on ${target}; push or drop them first`, {
    hint: `modelgate commits on top of ${target} and never drops your work: git push, or git reset --keep ${target}`,
  });
}

/** `reset --keep` moves the branch but refuses to overwrite uncommitted changes to files it must touch. */
export async function resetKeep(root: string, to: string, target: string): Promise<void> {
  const r = await git(['reset', '--quiet', '--keep', to], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    throw new InputError(`cannot move to the tip of ${target}: ${scrubUrl(r.stderr.trim())}`, {
      hint: 'your uncommitted changes touch files that changed there: commit or stash them, then re-run',
    });
  }
}

/**
 * Pushes HEAD to the remote branch: 'pushed', or 'moved' when the remote refused because the
 * branch moved (someone pushed first). Any other refusal is an environment failure naming the
 * commit that stays local.
 */
export async function pushHead(root: string, remote: string, branch: string): Promise<'pushed' | 'moved'> {
  const push = await git(['push', '--porcelain', '--', remote, `HEAD:refs/heads/${branch}`], { cwd: root, allowFail: true, hooks: true });
  if (push.code === 0) return 'pushed';
  if (remoteMoved(push)) return 'moved';
  throw pushFailed(push, `${remote}/${branch}`, await headSha(root));
}

/** A rejection because the remote branch moved (as opposed to auth, network or a server hook). */
export function remoteMoved(r: Pick<GitResult, 'stdout' | 'stderr'>): boolean {
  const text = `${r.stdout}\n${r.stderr}`;
  // `[rejected]` (non-fast-forward, fetch first, stale info) but not `[remote rejected]` (hooks,
  // protected branches) — except a server-side ref-lock race, which is a moved branch too.
  return /(^|\s)\[rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref|incorrect old value/im.test(text);
}

function pushFailed(r: GitResult, target: string, ours: string): EnvironmentError {
  const err = remoteFailure(`git push to ${target} failed`, r);
  return new EnvironmentError(err.message, {
    hint: `${err.hint}; your commit ${ours.slice(0, 12)} is kept locally: push it once this is fixed, or drop it with git reset --keep HEAD~1`,
  });
}

function remoteFailure(what: string, r: GitResult): EnvironmentError {
  const said = scrubUrl(`${r.stderr}\n${r.stdout}`)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== 'Done' && !/^To /.test(l))
    .join('; ');
  return new EnvironmentError(`${what}: ${said || `exit ${r.code}`}`, { hint: hintFor(said) });
}

function hintFor(said: string): string {
  if (/authentication failed|could not read (username|password)|terminal prompts disabled|\b40[13]\b|permission to .* denied|permission denied|write access/i.test(said)) {
    return 'the credentials were refused: in GitHub Actions the token needs contents: write (permissions: contents: write); locally, check your git credentials';
  }
  if (/\[remote rejected\]|protected branch|hook declined/i.test(said)) {
    return 'the remote refused the push (a protected branch or a server-side hook): allow this actor to push, or push to another branch';
  }
  if (/could not resolve host|connection refused|timed out|unable to access|could not read from remote/i.test(said)) {
    return 'the remote could not be reached: check the network and the remote URL (git remote -v)';
  }
  return 'check the remote (git remote -v) and your access to it';
}
