/** Questions about commits and branches, asked of git. */
import { EnvironmentError, InputError } from '../errors';
import { git } from './exec';

/** The sha of HEAD; an InputError in a repository without commits. */
export async function headSha(root: string): Promise<string> {
  const r = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: root, allowFail: true });
  if (r.code === 0) return r.stdout.trim();
  if (r.code === 1) throw new InputError('the repository has no commits yet', { hint: 'commit your registry first' });
  throw new EnvironmentError(`git rev-parse HEAD failed in ${root}: ${r.stderr.trim()}`, { hint: 'run modelgate inside a healthy git checkout' });
}

/** The branch HEAD is on (short name). A detached HEAD is an InputError: there is nothing to commit to. */
export async function currentBranch(root: string): Promise<string> {
  const r = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root, allowFail: true });
  if (r.code === 0) return r.stdout.trim();
  if (r.code === 1) {
    throw new InputError('HEAD is detached: check out the branch to commit to', {
      hint: 'git switch <branch> (in GitHub Actions, check out with ref: ${{ github.ref_name }})',
    });
  }
  throw new EnvironmentError(`git symbolic-ref HEAD failed in ${root}: ${r.stderr.trim()}`, { hint: 'run modelgate inside a healthy git checkout' });
}

/** True when commit `a` is `b` or an ancestor of it. */
export async function isAncestor(root: string, a: string, b: string): Promise<boolean> {
  const r = await git(['merge-base', '--is-ancestor', '--end-of-options', a, b], { cwd: root, allowFail: true });
  if (r.code === 0) return true;
  if (r.code === 1) return false;
  throw new EnvironmentError(`git merge-base --is-ancestor ${a} ${b} failed: ${r.stderr.trim()}`, {
    hint: 'in a shallow clone, fetch more history (fetch-depth: 0)',
  });
}

/** When `sha` was committed (committer date). */
export async function commitTime(root: string, sha: string): Promise<Date> {
  const r = await git(['show', '-s', '--format=%ct', '--end-of-options', `${sha}^{commit}`], { cwd: root });
  return new Date(Number(r.stdout.trim()) * 1000);
}

/** How many commits `b` has that `a` lacks. */
export async function countAhead(root: string, a: string, b: string): Promise<number> {
  const r = await git(['rev-list', '--count', `${a}..${b}`], { cwd: root });
  return Number(r.stdout.trim());
}
