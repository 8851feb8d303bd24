/**
 * A change a command wants committed: the files it wrote in the checkout, the commit message
 * (subject, body, trailers) and the writes themselves, so that a commit that fails takes them
 * back. Commands return one; where it goes (left in the working tree, a local commit, or a
 * publisher) is the caller's choice (publish/land.ts).
 */
import { EnvironmentError } from '../errors';
import { git } from '../git/exec';
import { commitFiles } from '../git/commit';
import type { Written } from '../storage/atomic';

export interface Change {
  /** Repo-relative paths the command wrote (new, modified). */
  files: string[];
  /** Full message: subject, blank line, body, trailers. */
  message: string;
  /** The writes that made the files: undone when the commit fails, kept once the change stays. */
  writes: Written[];
}

/** The change stays in the working tree, uncommitted (no `--commit`). */
export async function keepWritten(change: Change): Promise<void> {
  for (const w of change.writes) await w.keep();
}

/** Commits exactly the change's files; a commit that fails takes the change back (nothing is left half-made). */
export async function commitChange(root: string, change: Change): Promise<string> {
  try {
    return await commitFiles(root, { files: change.files, message: change.message });
  } catch (err) {
    throw await takeBack(root, change.files, change.writes, err);
  } finally {
    await keepWritten(change);
  }
}

/**
 * A change whose later step failed (a write, the commit) is taken back: its files restored
 * (newest first) and, when `staged` names them, the index as it was. All or nothing: a failed
 * run leaves no decision half-made. Returns the error to throw.
 */
export async function takeBack(root: string, staged: string[], writes: Written[], cause: unknown): Promise<unknown> {
  const said = cause instanceof Error ? cause.message : String(cause);
  const failed: string[] = [];
  for (const w of [...writes].reverse()) await w.undo().catch((err: Error) => failed.push(err.message));
  if (failed.length === 0 && staged.length) {
    const reset = await git(['--literal-pathspecs', 'reset', '--quiet', '--', ...staged], { cwd: root, allowFail: true });
    if (reset.code !== 0) failed.push(`git reset: ${reset.stderr.trim()}`);
  }
  if (failed.length) {
    return new EnvironmentError(`${said}; and the change could not be taken back: ${failed.join('; ')}`, {
      hint: `restore the files by hand: ${staged.length ? `git reset -- ${staged.join(' ')} && ` : ''}git checkout HEAD -- <file> (delete a file git does not know yet)`,
      cause,
    });
  }
  if (!(cause instanceof EnvironmentError) || cause.hint?.includes('nothing was changed')) return cause;
  return new EnvironmentError(said, { hint: `nothing was changed (the files are as they were); ${cause.hint ?? 'fix the cause and re-run'}`, cause });
}
