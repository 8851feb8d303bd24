/** A read-only view of one registry state: the working tree, or a commit read with git plumbing. */
import type { FileSource } from '../storage/types';

export interface RepoState extends FileSource {
  /** `worktree`, or the commit sha the state was read at. */
  readonly label: string;
  /** The commit sha for git states; undefined for the working tree. */
  readonly commit: string | undefined;
  /** Reads a small UTF-8 text file (throws InputError on invalid UTF-8); undefined when missing. */
  readText(path: string): Promise<string | undefined>;
  /** Releases resources (git reader processes). Safe to call twice. */
  close?(): void;
}
