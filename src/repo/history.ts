/**
 * The first-parent history of the registry's files, walked in one place: which commits of a
 * branch changed a manifest or an audit log (and when), what a manifest said at each of them,
 * and which commit brought a line of a log. First-parent, because that is the branch's own
 * line: a merged pull request counts from its merge, not from its authors' commits.
 * git runs through git/exec; an answer git cannot give (no HEAD yet, a shallow boundary) is
 * "none", and each caller knows no further back.
 */
import { git } from '../git/exec';
import { InputError } from '../errors';
import { loadManifest } from '../manifest/load';
import type { Manifest } from '../manifest/types';

export interface HistoryCommit {
  sha: string;
  /** First parent; undefined for a root commit. */
  parent: string | undefined;
  /** Committer time. */
  time: Date;
  subject: string;
}

export interface HistoryOptions {
  /** Where the walk starts (default HEAD). */
  from?: string;
  /** Only commits after this one (`since..from`); an unknown revision is an input error. */
  since?: string;
  /** Newest first (default oldest first). */
  newestFirst?: boolean;
  /** A git failure is thrown (default: answers no commits). */
  strict?: boolean;
}

/** The first-parent commits that changed anything under `paths`. */
export async function commitsTouching(root: string, paths: string[], o: HistoryOptions = {}): Promise<HistoryCommit[]> {
  if (o.since !== undefined) {
    const ok = await git(['rev-parse', '--verify', '--quiet', `${o.since}^{commit}`], { cwd: root, allowFail: true });
    if (ok.code !== 0) throw new InputError(`unknown revision '${o.since}'`, { hint: 'pass a commit, branch or tag that exists here (git fetch it first in a shallow clone)' });
  }
  const from = o.from ?? 'HEAD';
  const range = o.since !== undefined ? `${o.since}..${from}` : from;
  const r = await git(['log', '--first-parent', ...(o.newestFirst ? [] : ['--reverse']), '--format=%H%x00%P%x00%cI%x00%s', range, '--', ...paths], { cwd: root, allowFail: !o.strict });
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, parents, time, subject] = line.split('\0') as [string, string, string, string];
      return { sha, parent: parents.split(' ').filter(Boolean)[0], time: new Date(time), subject };
    });
}

/** The first-parent commits of `from`, newest first (their positions order any two of them). */
export async function firstParentLine(root: string, from = 'HEAD'): Promise<string[]> {
  const r = await git(['rev-list', '--first-parent', from], { cwd: root });
  return r.stdout.split('\n').filter(Boolean);
}

export interface FileChanges {
  sha: string;
  /** Files under the asked directories that the commit changed (against its first parent). */
  files: Set<string>;
}

/** First-parent commits of HEAD, oldest first, with the files under `dirs` each changed: one git process for a whole registry. */
export async function changesTouching(root: string, dirs: string[]): Promise<FileChanges[]> {
  const r = await git(['log', '--first-parent', '--reverse', '--name-only', '--no-renames', '-z', '--format=%x01%H', 'HEAD', '--', ...dirs], { cwd: root, allowFail: true });
  if (r.code !== 0) return [];
  const out: FileChanges[] = [];
  for (const block of r.stdout.split('\x01').filter(Boolean)) {
    const [head = '', ...rest] = block.split('\0');
    const [sha = '', first = ''] = head.split('\n');
    out.push({ sha, files: new Set([first, ...rest].map((f) => f.replace(/^\n/, '')).filter(Boolean)) });
  }
  return out;
}

/** A manifest as committed at `rev`: absent when the file is not there, `unreadable` when it does not load. */
export type ManifestThen = { kind: 'absent' } | { kind: 'unreadable' } | { kind: 'manifest'; manifest: Manifest };

export async function manifestAt(root: string, rev: string, file: string): Promise<ManifestThen> {
  const shown = await git(['show', `${rev}:${file}`], { cwd: root, allowFail: true });
  if (shown.code !== 0) return { kind: 'absent' };
  try {
    return { kind: 'manifest', manifest: loadManifest(shown.stdout, file, { singleProduction: false }).manifest };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** The manifest at each commit of its own history, in the walk's order; the caller stops when it knows enough. */
export async function* manifestHistory(root: string, file: string, o: HistoryOptions = {}): AsyncGenerator<{ commit: HistoryCommit; then: ManifestThen }> {
  for (const commit of await commitsTouching(root, [file], o)) yield { commit, then: await manifestAt(root, commit.sha, file) };
}

/**
 * When line `line` of `file` came into the branch at `commit`: the committer time of the
 * first-parent commit that brought it (git blame --first-parent). undefined when git cannot say.
 */
export async function lineLandedAt(root: string, commit: string, file: string, line: number): Promise<Date | undefined> {
  const r = await git(['blame', '--first-parent', '--porcelain', '-L', `${line},${line}`, commit, '--', file], { cwd: root, allowFail: true });
  const m = /^committer-time (\d+)$/m.exec(r.stdout);
  return r.code === 0 && m ? new Date(Number(m[1]) * 1000) : undefined;
}
