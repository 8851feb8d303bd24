/**
 * Where a change goes when it is published, and the one retry loop around it (SPEC §5
 * `--push`: on rejection fetch, re-evaluate on the new tip, retry up to 5 times). Two
 * implementations: git (commit, push to a real remote: publish/git.ts) and GitHub's
 * createCommitOnBranch (commit-mode api: publish/github.ts). They share the checkout's side
 * (fetch, move onto the tip, refuse to drop local commits), so they fail alike.
 */
import { EnvironmentError } from '../errors';
import { headSha } from '../git/history';
import type { Change } from './change';

export interface Publisher {
  /** The branch written to. */
  readonly branch: string;
  /** How the branch is named in messages: `origin/main`. */
  readonly target: string;
  /** What did not happen when it gives up ("nothing was pushed"). */
  readonly nothingDone: string;
  /** What refused a change on a moved branch, for progress lines ("push rejected"). */
  readonly refusal: string;
  /** Fetches the branch and moves the checkout onto its tip; refuses (exit 2) to drop local commits. */
  catchUp(): Promise<void>;
  /**
   * Publishes `change`, written in the checkout on `judgedOn`: the new commit's sha, with the
   * checkout on it, or 'moved' when the branch moved first (the change is then taken back).
   */
  publish(change: Change, judgedOn: string): Promise<string | 'moved'>;
}

/** One complete run on the current tip: what it decided, and the change it wrote (none: denied, nothing to do). */
export interface Attempt<T> {
  result: T;
  change?: Change;
}

export interface RetryOptions {
  /** Default 5. */
  attempts?: number;
  /** Told before each wait after a rejection (progress for the user). */
  onRetry?: (r: { attempt: number; attempts: number; delayMs: number }) => void;
}

const DEFAULT_ATTEMPTS = 5;
/** The smallest back-off slot; the slot grows to the length of our own last attempt. */
const MIN_SLOT_MS = 250;
const MAX_DELAY_MS = 60_000;

/**
 * Runs `attempt` on the tip of the branch and publishes its change; when the branch moved, waits,
 * catches up and runs it again from scratch (it re-reads and re-judges everything).
 */
export async function publishWithRetry<T>(root: string, publisher: Publisher, attempt: () => Promise<Attempt<T>>, o: RetryOptions = {}): Promise<{ result: T; commit?: string }> {
  const attempts = o.attempts ?? DEFAULT_ATTEMPTS;
  await publisher.catchUp();
  for (let n = 1; ; n++) {
    const judgedOn = await headSha(root);
    const started = Date.now();
    const { result, change } = await attempt();
    if (!change) return { result };
    const sha = await publisher.publish(change, judgedOn);
    if (sha !== 'moved') return { result, commit: sha };
    if (n >= attempts) {
      await publisher.catchUp();
      throw new EnvironmentError(`gave up after ${attempts} attempts: ${publisher.branch} kept moving; re-run (use a concurrency group in CI)`, {
        hint: `${publisher.nothingDone}; the checkout is now at the tip of ${publisher.target}`,
      });
    }
    const delayMs = backoffMs(n, Date.now() - started);
    o.onRetry?.({ attempt: n, attempts, delayMs });
    // Wait BEFORE fetching: the tip we judge on must be as fresh as possible when we publish.
    await sleep(delayMs);
    await publisher.catchUp();
  }
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
