/**
 * Real git repositories in temp dirs, for integration tests. Importing this module makes git
 * hermetic for the whole test process: the developer's global and system config (signing,
 * hooks, default branch, credential helpers) must not change what a test sees.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

process.env.GIT_CONFIG_GLOBAL = devNull; // an empty global config
process.env.GIT_CONFIG_NOSYSTEM = '1';
process.env.GIT_TERMINAL_PROMPT = '0';

export const IDENTITY = { name: 'Test User', email: 'test@example.com' };

/** Runs git in `cwd` with an argument array; resolves stdout, rejects with git's stderr. */
export async function gitIn(cwd: string, args: string[], env?: Record<string, string>): Promise<string> {
  const r = await run('git', args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return r.stdout;
}

export interface TestRepo {
  dir: string;
  git(args: string[]): Promise<string>;
  /** Writes a file (parents created), relative to the repo. */
  write(path: string, text: string): Promise<void>;
  /** `git add -A && git commit`; resolves the new sha. */
  commitAll(message: string): Promise<string>;
  cleanup(): Promise<void>;
}

export interface RepoOptions {
  /** Configure a local user.name/user.email (default true). */
  identity?: boolean;
  /** Commit the initial files (default true when files are given). */
  commit?: boolean;
}

function wrap(dir: string, cleanupDir: string): TestRepo {
  const git = (args: string[]) => gitIn(dir, args);
  return {
    dir,
    git,
    write: async (path, text) => {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    },
    commitAll: async (message) => {
      await git(['add', '-A']);
      await git(['commit', '-q', '--allow-empty', '-m', message]);
      return (await git(['rev-parse', 'HEAD'])).trim();
    },
    cleanup: () => rm(cleanupDir, { recursive: true, force: true }),
  };
}

async function setIdentity(dir: string): Promise<void> {
  await gitIn(dir, ['config', 'user.name', IDENTITY.name]);
  await gitIn(dir, ['config', 'user.email', IDENTITY.email]);
}

/** A fresh repository on branch `main`, optionally with files (committed as "initial"). */
export async function makeRepo(files?: Record<string, string>, opts: RepoOptions = {}): Promise<TestRepo> {
  const base = await mkdtemp(join(tmpdir(), 'mg-repo-'));
  const dir = join(base, 'repo');
  const repo = wrap(dir, base);
  try {
    await mkdir(dir);
    await gitIn(dir, ['-c', 'init.defaultBranch=main', 'init', '-q']);
    if (opts.identity !== false) await setIdentity(dir);
    if (files) {
      for (const [path, text] of Object.entries(files)) await repo.write(path, text);
      if (opts.commit !== false) await repo.commitAll('initial');
    }
    return repo;
  } catch (err) {
    await repo.cleanup();
    throw err;
  }
}

export interface BareRemote {
  /** The directory holding the bare repository (what startGitHttpServer serves). */
  root: string;
  /** Repository name under `root`, e.g. `registry.git`. */
  name: string;
  /** Absolute path of the bare repository (usable as a file URL). */
  dir: string;
  git(args: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

/** An empty bare repository (HEAD → main) that accepts pushes over HTTP. */
export async function makeBareRemote(name = 'registry.git'): Promise<BareRemote> {
  const root = await mkdtemp(join(tmpdir(), 'mg-remote-'));
  const dir = join(root, name);
  await mkdir(dir);
  await gitIn(dir, ['-c', 'init.defaultBranch=main', 'init', '-q', '--bare']);
  await gitIn(dir, ['config', 'http.receivepack', 'true']);
  return { root, name, dir, git: (args) => gitIn(dir, args), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Clones `url` (a path or http URL) into a temp dir, with the test identity configured. */
export async function clone(url: string, opts: { depth?: number } = {}): Promise<TestRepo> {
  const base = await mkdtemp(join(tmpdir(), 'mg-clone-'));
  const dir = join(base, 'repo');
  const depth = opts.depth ? ['--depth', String(opts.depth)] : [];
  // file:// so that --depth is honoured for local paths too
  const src = url.includes('://') ? url : `file://${url}`;
  try {
    await gitIn(base, ['clone', '-q', ...depth, '--', src, dir]);
    await setIdentity(dir);
  } catch (err) {
    await rm(base, { recursive: true, force: true });
    throw err;
  }
  return wrap(dir, base);
}
