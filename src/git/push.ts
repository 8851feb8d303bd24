/**
 * Push with retry (SPEC §5 `--push`). When the remote branch moved, we never rebase text (an
 * audit log must not be merged line by line): we fetch, move to the new tip, drop our own
 * commit, and let the caller read, judge and apply again on it — up to `attempts` times, with
 * randomized exponential back-off.
 *
 * The user's commits are never dropped: a branch with commits the remote lacks is refused
 * before anything is applied.
 */
import { EnvironmentError, InputError } from '../errors';
import { git, scrubUrl, type GitResult } from './exec';
import { countAhead, headSha, isAncestor } from './history';

export interface PushOptions {
  branch: string;
  /** Reads the current state, judges, writes and commits. `committed: false` ends the loop (denied / nothing to do). */
  apply: () => Promise<{ committed: boolean }>;
  /** Default `origin`. */
  remote?: string;
  /** Default 5. */
  attempts?: number;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BASE_MS = 250;
const MAX_DELAY_MS = 10_000;

export async function pushWithRetry(root: string, o: PushOptions): Promise<void> {
  const remote = o.remote ?? 'origin';
  const attempts = o.attempts ?? DEFAULT_ATTEMPTS;
  const target = `${remote}/${o.branch}`;
  const tip = await fetchTip(root, remote, o.branch);
  if (tip !== undefined) await catchUp(root, target, await headSha(root), tip);

  for (let attempt = 1; ; attempt++) {
    const before = await headSha(root);
    const { committed } = await o.apply();
    if (!committed) return;
    const push = await git(['push', '--porcelain', '--', remote, `HEAD:refs/heads/${o.branch}`], { cwd: root, allowFail: true });
    if (push.code === 0) return;
    if (!remoteMoved(push)) throw pushFailed(push, target, await headSha(root));

    // Someone pushed first. Our commit is dropped and the caller re-judges on their tip.
    const next = await fetchTip(root, remote, o.branch);
    if (next === undefined || !(await isAncestor(root, before, next))) {
      await resetKeep(root, before, target);
      if (next !== undefined) await catchUp(root, target, before, next); // throws: the user has commits the remote lacks
      throw new EnvironmentError(`the push to ${target} was rejected, but ${target} no longer exists`, { hint: 'check the remote branch, then re-run' });
    }
    await resetKeep(root, next, target);
    if (attempt >= attempts) {
      throw new EnvironmentError(`gave up after ${attempts} attempts: ${o.branch} kept moving; re-run (use a concurrency group in CI)`, {
        hint: `nothing was pushed; the checkout is now at the tip of ${target}`,
      });
    }
    await sleep(backoffMs(attempt));
  }
}

/** Fetches the remote branch; its sha, or undefined when the remote has no such branch. */
async function fetchTip(root: string, remote: string, branch: string): Promise<string | undefined> {
  const r = await git(['fetch', '--quiet', '--no-tags', '--', remote, `refs/heads/${branch}`], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) return undefined;
    throw remoteFailure(`git fetch from ${remote} failed`, r);
  }
  const sha = await git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'], { cwd: root });
  return sha.stdout.trim();
}

/** Fast-forwards to the remote tip; refuses when the local branch has commits the remote lacks. */
async function catchUp(root: string, target: string, head: string, tip: string): Promise<void> {
  if (head === tip) return;
  if (await isAncestor(root, head, tip)) return resetKeep(root, tip, target);
  const n = await countAhead(root, tip, head);
  throw new InputError(`your branch has ${n} commit${n === 1 ? '' : 's'} not on ${target}; push or drop them first`, {
    hint: `modelgate commits on top of ${target} and never drops your work: git push, or git reset --keep ${target}`,
  });
}

/** `reset --keep` moves the branch but refuses to overwrite uncommitted changes to files it must touch. */
async function resetKeep(root: string, to: string, target: string): Promise<void> {
  const r = await git(['reset', '--quiet', '--keep', to], { cwd: root, allowFail: true });
  if (r.code !== 0) {
    throw new InputError(`cannot move to the tip of ${target}: ${scrubUrl(r.stderr.trim())}`, {
      hint: 'your uncommitted changes touch files that changed there: commit or stash them, then re-run',
    });
  }
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

/** Equal-jitter exponential back-off: half fixed, half random, so racing jobs spread out. */
function backoffMs(attempt: number): number {
  const raw = Number(process.env.MODELGATE_RETRY_BASE_MS);
  const base = Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_BASE_MS;
  const cap = Math.min(MAX_DELAY_MS, base * 2 ** (attempt - 1));
  return cap / 2 + Math.random() * (cap / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
