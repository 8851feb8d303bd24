/** A read-only view of one registry state: the working tree, or a commit read with git plumbing. */
import type { FileSource } from '../storage/types';

/**
 * What a path itself is, links not followed: `lstat` in the working tree, the tree entry's mode
 * in a commit (`120000` symlink, `160000` submodule). A directory holding a `.git` in the working
 * tree is a submodule (or a nested repository): its files are not this repository's.
 */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'submodule' | 'other';

export interface RepoState extends FileSource {
  /** `worktree`, or the commit sha the state was read at. */
  readonly label: string;
  /** The commit sha for git states; undefined for the working tree. */
  readonly commit: string | undefined;
  /** Reads a small UTF-8 text file (throws InputError on invalid UTF-8); undefined when missing. */
  readText(path: string): Promise<string | undefined>;
  /**
   * The kind of the entry at `path`, its parents taken as plain directories (callers walk from
   * the top, see plainPath.ts); undefined when nothing is there.
   */
  entryKind(path: string): Promise<EntryKind | undefined>;
  /** Releases resources (git reader processes). Safe to call twice. */
  close?(): void;
}
