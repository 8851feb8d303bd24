/**
 * Push with retry (SPEC §5 `--push`). When the remote branch moved, we never rebase text (an
 * audit log must not be merged line by line): we fetch, move to the new tip, drop our own
 * commit, and let the caller read, judge and apply again on it — up to `attempts` times, with
 * randomized exponential back-off (waiting before the fetch, so we judge on a fresh tip).
 *
 * The user's commits are never dropped: a branch with commits the remote lacks is refused
 * before anything is applied.
 */
import { EnvironmentError, InputError } from '../errors';
import { git, scrubUrl, type GitResult } from './exec';
import { countAhead, headSha, isAncestor } from './history';
import { crashPoint } from '../storage/atomic';

export interface PushOptions {
  branch: string;
  /** Reads the current state, judges, writes and commits. `committed: false` ends the loop (denied / nothing to do). */
  apply: () => Promise<{ committed: boolean }>;
  /** Default `origin`. */
  remote?: string;
  /** Default 5. */
  attempts?: number;
  /** Told before each wait after a rejected push (progress for the user). */
  onRetry?: (r: { attempt: number; attempts: number; delayMs: number }) => void;
}

const DEFAULT_ATTEMPTS = 5;
/** The smallest back-off slot; the slot grows to the length of our own last attempt. */
const MIN_SLOT_MS = 250;
const MAX_DELAY_MS = 60_000;

export async function pushWithRetry(root: string, o: PushOptions): Promise<void> {
  const remote = o.remote ?? 'origin';
  const attempts = o.attempts ?? DEFAULT_ATTEMPTS;
  const target = `${remote}/${o.branch}`;
  const tip = await fetchTip(root, remote, o.branch);
  if (tip !== undefined) await catchUp(root, target, await headSha(root), tip);

  for (let attempt = 1; ; attempt++) {
    const before = await headSha(root);
    const started = Date.now();
    const { committed } = await o.apply();
    if (!committed) return;
    crashPoint('before-push');
    const push = await git(['push', '--porcelain', '--', remote, `HEAD:refs/heads/${o.branch}`], { cwd: root, allowFail: true, hooks: true });
    if (push.code === 0) return;
    if (!remoteMoved(push)) throw pushFailed(push, target, await headSha(root));

    // Someone pushed first. Our commit is dropped at once (a run killed while it waits leaves
    // no unpushed commit), and the caller judges again on their tip.
    await resetKeep(root, before, target);
    crashPoint('push-rejected');
    if (attempt >= attempts) {
      const next = await fetchTip(root, remote, o.branch);
      if (next !== undefined) await catchUp(root, target, before, next);
      throw new EnvironmentError(`gave up after ${attempts} attempts: ${o.branch} kept moving; re-run (use a concurrency group in CI)`, {
        hint: `nothing was pushed; the checkout is now at the tip of ${target}`,
      });
    }
    const delayMs = backoffMs(attempt, Date.now() - started);
    o.onRetry?.({ attempt, attempts, delayMs });
    // Wait BEFORE fetching: the tip we judge on must be as fresh as possible when we push.
    await sleep(delayMs);
    const next = await fetchTip(root, remote, o.branch);
    if (next === undefined) {
      throw new EnvironmentError(`the push to ${target} was rejected, but ${target} no longer exists`, { hint: 'check the remote branch, then re-run' });
    }
    await catchUp(root, target, before, next); // throws when the remote was rewritten under us
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

/**
 * Exponential back-off with full jitter, in slots as long as our own last attempt took (read,
 * judge, commit, push): racing jobs on a loaded runner wait longer, jobs on a fast one less.
 * Attempt k waits a random time in [0, (2^k - 1) slots]: up to 1, 3, 7, 15 slots. (In the load
 * test, 20 racing promoters, this lands 17-19 of them in 28-44 s; equal jitter landed as many
 * in 65-70 s, and a fixed 250 ms base with the wait after the fetch landed 5.)
 * `MODELGATE_RETRY_BASE_MS` fixes the slot (tests).
 */
export function backoffMs(attempt: number, lastAttemptMs: number, random: () => number = Math.random): number {
  const raw = Number(process.env.MODELGATE_RETRY_BASE_MS);
  const slot = process.env.MODELGATE_RETRY_BASE_MS !== undefined && Number.isFinite(raw) && raw >= 0 ? raw : Math.max(MIN_SLOT_MS, lastAttemptMs);
  return Math.min(MAX_DELAY_MS, random() * slot * (2 ** attempt - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
