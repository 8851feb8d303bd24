/**
 * The product modules the in-process figures call (metric_history, git_reads), bundled by
 * bench/lib/bundle.mjs with the settings scripts/build.mjs uses for dist/.
 */
export { GitState } from '../../src/repo/gitState';
export { WorktreeState } from '../../src/repo/worktree';
export { readRun } from '../../src/runs/read';
