/**
 * What differs between two states, asked of git (one process), so the cost of a check follows
 * the size of the change, not of the registry.
 */
import { git } from '../git/exec';

/** A changed path and how: `A` added, `D` deleted, `M` modified, `T` type changed (file ↔ symlink). */
export type ChangeStatus = 'A' | 'D' | 'M' | 'T';

/**
 * Every path that differs between base (a commit) and head (a commit, or the working tree when
 * `head` is undefined, untracked files included), with its status.
 */
export async function changedFiles(root: string, base: string, head: string | undefined): Promise<Map<string, ChangeStatus>> {
  const range = head === undefined ? [base] : [base, head];
  const diff = await git(['diff', '--name-status', '--no-renames', '-z', ...range, '--'], { cwd: root });
  const out = new Map<string, ChangeStatus>();
  const parts = diff.stdout.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i]!.charAt(0);
    out.set(parts[i + 1]!, (status === 'A' || status === 'D' || status === 'T' ? status : 'M') as ChangeStatus);
  }
  if (head === undefined) {
    const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: root });
    for (const p of untracked.stdout.split('\0').filter(Boolean)) out.set(p, 'A');
  }
  return out;
}

