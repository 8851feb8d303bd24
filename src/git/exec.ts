/**
 * Runs git. Always with an argument array (never a shell), never prompting for credentials,
 * with messages that name the command and git's own words — and never a token.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { EnvironmentError } from '../errors';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Return non-zero exits instead of throwing. */
  allowFail?: boolean;
  /** Let the repository's hooks run (commit, push: the user's own pre-commit/pre-push checks). */
  hooks?: boolean;
  /**
   * Where repository discovery stops (GIT_CEILING_DIRECTORIES): git may look in this
   * directory's subdirectories only. Default: the parent of `cwd`, so git uses `cwd`'s own
   * `.git` and never a repository above it. '' lets discovery go up (finding the work tree).
   */
  ceiling?: string;
}

/** Credentials in URLs (`https://user:token@host`) never reach a message. */
export function scrubUrl(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
}

/**
 * Configuration every git we run gets, through GIT_CONFIG_COUNT/KEY/VALUE (it beats the
 * repository's own config): repository discovery never accepts a directory that merely looks
 * like a bare repository (a PR can commit one: HEAD, objects/, refs/, a config with commands),
 * and no read runs a command a config names (fsmonitor, upload/receive-pack, the ext:: transport).
 */
const LOCKED_CONFIG: [string, string][] = [
  ['safe.bareRepository', 'explicit'],
  ['core.fsmonitor', 'false'],
  ['remote.origin.uploadpack', 'git-upload-pack'],
  ['remote.origin.receivepack', 'git-receive-pack'],
  ['protocol.ext.allow', 'never'],
];

/** Inherited variables that would choose the repository for git instead of its own discovery. */
const DISCOVERY_VARS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE'];

export interface GitEnvOptions {
  cwd?: string;
  extra?: Record<string, string>;
  hooks?: boolean;
  ceiling?: string;
}

/**
 * The environment every git child gets (the one builder: exec.ts and gitState's cat-file use
 * it): never prompt for credentials (a prompt would hang CI), English messages (push.ts reads
 * git's stderr to tell a rejection from a failure), discovery locked to the work tree (the
 * config above, a ceiling above `cwd`), and no hooks unless the caller asks (commit, push).
 */
export function gitEnv(o: GitEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of DISCOVERY_VARS) delete env[k];
  const config: [string, string][] = [...LOCKED_CONFIG, ...(o.hooks ? [] : ([['core.hooksPath', '/dev/null']] as [string, string][]))];
  // After any GIT_CONFIG_* entries the caller's environment already has: later entries win.
  const inherited = Number(env.GIT_CONFIG_COUNT);
  const start = Number.isInteger(inherited) && inherited > 0 ? inherited : 0;
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${start + i}`] = key;
    env[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(start + config.length);
  const ceiling = o.ceiling ?? (o.cwd ? dirname(resolve(o.cwd)) : undefined);
  if (ceiling) env.GIT_CEILING_DIRECTORIES = ceiling;
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...o.extra };
}

/** git's words for ENOSPC / EDQUOT, in its various messages. */
export const DISK_FULL = /no space left on device|out of diskspace|disk quota exceeded/i;

export function git(args: string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: envFor(opts),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new EnvironmentError('git is not installed (or not on PATH)', { hint: 'install git; modelgate reads the registry history with it' })
          : new EnvironmentError(`could not run git ${args[0]}: ${e.message}`, { cause: e }),
      );
    });
    child.on('close', (code) => {
      const res = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 };
      if (res.code !== 0 && !opts.allowFail) {
        const full = DISK_FULL.test(res.stderr);
        reject(
          new EnvironmentError(`${full ? 'the disk is full: ' : ''}git ${scrubUrl(args.join(' '))} failed: ${scrubUrl(res.stderr.trim()) || `exit ${res.code}`}`, {
            hint: full ? 'free some disk space, then re-run' : 'check that the repository is a healthy git checkout and that remotes are reachable',
          }),
        );
        return;
      }
      resolve(res);
    });
    child.stdin.on('error', () => undefined); // git may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Same as git() but returns raw stdout bytes (blobs may be binary). */
export function gitBytes(args: string[], opts: GitOptions): Promise<{ stdout: Buffer; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: opts.cwd, env: envFor(opts) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new EnvironmentError(`could not run git: ${e.message}`, { cause: e })));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), code: code ?? 1, stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end();
  });
}

function envFor(opts: GitOptions): NodeJS.ProcessEnv {
  return gitEnv({ cwd: opts.cwd, ...(opts.env ? { extra: opts.env } : {}), ...(opts.hooks ? { hooks: true } : {}), ...(opts.ceiling !== undefined ? { ceiling: opts.ceiling } : {}) });
}
