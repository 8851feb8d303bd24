/**
 * Commits the files modelgate wrote — and only those: whatever else the user has staged or
 * modified stays exactly as it was. The message goes through stdin, never through argv.
 *
 * Hooks run as usual (they are the user's: a pre-commit hook that refuses is respected, and
 * reported as an environment failure with its own words).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError, InputError } from '../errors';
import { normalizeRepoPath } from '../storage/paths';
import { DISK_FULL, git, scrubUrl } from './exec';
import { headSha } from './history';

export interface CommitRequest {
  /** Repo-relative paths to commit (new, modified or deleted). */
  files: string[];
  /** Full message: subject, blank line, body, trailers. */
  message: string;
}

/** The identity of CI commits, the one actions/checkout users know. */
export const ACTIONS_BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
export const LOCAL_FALLBACK = { name: 'modelgate', email: 'modelgate@localhost' };

export async function commitFiles(root: string, c: CommitRequest): Promise<string> {
  if (c.files.length === 0) throw new InputError('nothing to commit: no files were named');
  const files = c.files.map((f) => normalizeRepoPath(f, 'file to commit'));
  // Literal pathspecs: a file named `*.yaml` must not commit every YAML file.
  await git(['--literal-pathspecs', 'add', '--all', '--', ...files], { cwd: root });
  if (!(await hasStagedChange(root, files))) {
    throw new InputError(`nothing to commit: ${files.join(', ')} ${files.length === 1 ? 'is' : 'are'} unchanged`);
  }
  const identity = await identityArgs(root, process.env);
  const r = await git(
    // `--only` + paths: commit these paths' contents, leave the rest of the index alone.
    // `--cleanup=whitespace`: keep lines starting with '#' (a reason may start with an issue number).
    [...identity, '--literal-pathspecs', 'commit', '--quiet', '--cleanup=whitespace', '-F', '-', '--only', '--', ...files],
    // The user's own commit hooks run (a refusing pre-commit hook stops the decision).
    { cwd: root, input: c.message, allowFail: true, hooks: true },
  );
  if (r.code !== 0) {
    const said = scrubUrl(`${r.stderr}\n${r.stdout}`.trim());
    const full = DISK_FULL.test(said);
    // Our message is never empty: git saying so means it could not write .git/COMMIT_EDITMSG.
    const lost = !full && /empty commit message/i.test(said);
    throw new EnvironmentError(`${full ? 'the disk is full: ' : lost ? 'the disk may be full: ' : ''}git commit failed: ${said || `exit ${r.code}`}`, {
      hint: full || lost ? 'free some disk space, then re-run' : 'a commit hook or signing setting may have refused it',
    });
  }
  return headSha(root);
}

/**
 * Which of `files` differ from HEAD (in the index or the working tree) or are untracked: the
 * changes a commit of these files would sweep in besides our own.
 */
export async function uncommittedPaths(root: string, files: string[]): Promise<{ path: string; tracked: boolean }[]> {
  const paths = files.map((f) => normalizeRepoPath(f, 'file to commit'));
  // --no-optional-locks: a question must not write the index (it fails on a full disk, and
  // races with a concurrent git).
  const r = await git(['--no-optional-locks', '--literal-pathspecs', 'status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all', '--', ...paths], { cwd: root });
  return r.stdout
    .split('\0')
    .filter((e) => e.length > 3)
    .map((e) => ({ path: e.slice(3), tracked: !e.startsWith('??') }));
}

async function hasStagedChange(root: string, files: string[]): Promise<boolean> {
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: root, allowFail: true });
  if (head.code !== 0) return true; // first commit of the repository
  const diff = await git(['--literal-pathspecs', 'diff', '--cached', '--quiet', 'HEAD', '--', ...files], { cwd: root, allowFail: true });
  if (diff.code > 1) throw new EnvironmentError(`git diff failed: ${diff.stderr.trim()}`);
  return diff.code === 1;
}

/**
 * `-c user.name=… -c user.email=…` when the user has no email configured (a fresh CI runner):
 * the bot identity under GitHub Actions, else a local one. The user's config is never written.
 */
export async function identityArgs(root: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const email = await git(['config', '--get', 'user.email'], { cwd: root, allowFail: true });
  if (email.code === 0 && email.stdout.trim() !== '') return [];
  if (env.EMAIL || (env.GIT_AUTHOR_EMAIL && env.GIT_COMMITTER_EMAIL)) return []; // configured through the environment
  const who = env.GITHUB_ACTIONS === 'true' ? ACTIONS_BOT : LOCAL_FALLBACK;
  return ['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`];
}

/** Puts back files written but not committed: tracked ones from HEAD, new ones deleted. */
export async function restoreFromHead(root: string, files: string[]): Promise<void> {
  for (const f of files.map((p) => normalizeRepoPath(p, 'file to restore'))) {
    const tracked = await git(['cat-file', '-e', `HEAD:${f}`], { cwd: root, allowFail: true });
    if (tracked.code === 0) await git(['--literal-pathspecs', 'checkout', 'HEAD', '--', f], { cwd: root });
    else await rm(join(root, f), { force: true });
  }
}
