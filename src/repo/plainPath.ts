/**
 * The registry's own files are plain files in plain directories (SPEC section 1): manifests,
 * audit logs, policy files, `modelgate.yaml`, the registry/audit/policies directories and every
 * directory on the way to them. A symlink there would hide later edits of its target from
 * change detection (`git diff -- registry` sees the link, not the file it points at) and from
 * history walks; a submodule entry reads as a missing file. Either is an input error naming the
 * path, in the working tree (lstat) and in a commit (tree entry modes).
 */
import { InputError } from '../errors';
import { printable } from '../storage/paths';
import type { EntryKind, RepoState } from './types';

/** What the path is, for the message: `a manifest`, `the audit directory`, ... */
export type PlainRole = string;

const known = new WeakMap<RepoState, Map<string, Promise<EntryKind | undefined>>>();

/** One lookup per path per state: every read of a manifest walks the same few directories. */
function kindOf(state: RepoState, path: string): Promise<EntryKind | undefined> {
  let memo = known.get(state);
  if (!memo) known.set(state, (memo = new Map()));
  let kind = memo.get(path);
  if (!kind) {
    kind = state.entryKind(path);
    memo.set(path, kind);
    kind.catch(() => memo.delete(path)); // a failed lookup is not remembered
  }
  return kind;
}

/**
 * Throws an InputError when `path`, or a directory on the way to it, is a symlink or a
 * submodule in `state`. A missing path passes (the reader reports it as missing), and so does
 * a regular file in the middle of the path (nothing can be read under it).
 */
export async function assertPlainPath(state: RepoState, path: string, role: PlainRole): Promise<void> {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const kind = await kindOf(state, prefix);
    if (kind === undefined || kind === 'file' || kind === 'other') return;
    if (kind === 'dir') continue;
    throw notPlain(state, prefix, path, kind, role);
  }
}

/** All of them at once (the reads are cached and pipelined). */
export async function assertPlainPaths(state: RepoState, paths: { path: string; role: PlainRole }[]): Promise<void> {
  await Promise.all(paths.map((p) => assertPlainPath(state, p.path, p.role)));
}

function notPlain(state: RepoState, at: string, path: string, kind: 'symlink' | 'submodule', role: PlainRole): InputError {
  const where = state.commit === undefined ? ' in the working tree' : ` at commit ${state.commit.slice(0, 12)}`;
  const what = kind === 'symlink' ? 'a symlink' : 'a submodule';
  const through = at === path ? '' : ` (on the way to ${printable(path)})`;
  return new InputError(`${printable(at)} is ${what}${where}${through}: ${role} must be a regular ${at === path && !role.includes('directory') ? 'file' : 'directory'} of this repository`, {
    location: { file: printable(at) },
    hint:
      kind === 'symlink'
        ? 'replace the symlink with the file or directory itself (git rm the link, move the target there): modelgate does not follow links for registry files, since edits of their target would not show in the diff'
        : 'keep manifests, policies, audit logs and modelgate.yaml in this repository, not in a submodule',
  });
}
