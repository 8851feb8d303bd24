/** Opens the two registry states a command compares: base (a commit) and head (a commit or the working tree). */
import { resolve } from 'node:path';
import { GitState } from '../repo/gitState';
import { WorktreeState } from '../repo/worktree';
import type { RepoState } from '../repo/types';
import { repoRoot } from './repoRoot';

export interface States {
  root: string;
  base: RepoState;
  head: RepoState;
  close(): void;
}

export async function openStates(repo: string, baseRef: string, headRef: string | undefined): Promise<States> {
  const root = await repoRoot(resolve(repo));
  const base = await GitState.open(root, baseRef);
  const head = headRef === undefined ? new WorktreeState(root) : await GitState.open(root, headRef);
  return {
    root,
    base,
    head,
    close: () => {
      base.close?.();
      if (head instanceof GitState) head.close?.();
    },
  };
}
