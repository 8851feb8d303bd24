/**
 * Which registry files differ between two states, asked of git (one process), so the cost of a
 * check follows the size of the change, not of the registry.
 */
import { git } from '../git/exec';

/** Paths (repo-relative) under `paths` that differ between `base` and `head` (a commit, or the working tree when undefined). */
export async function changedPaths(root: string, base: string, head: string | undefined, paths: string[]): Promise<string[]> {
  const range = head === undefined ? [base] : [base, head];
  const diff = await git(['diff', '--name-only', '--no-renames', '-z', ...range, '--', ...paths], { cwd: root });
  const out = new Set(diff.stdout.split('\0').filter(Boolean));
  if (head === undefined) {
    // New files not yet added to the index are part of the working-tree state too.
    const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z', '--', ...paths], { cwd: root });
    for (const p of untracked.stdout.split('\0').filter(Boolean)) out.add(p);
  }
  return [...out].sort();
}
