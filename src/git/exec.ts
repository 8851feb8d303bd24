/**
 * Runs git. Always with an argument array (never a shell), never prompting for credentials,
 * with messages that name the command and git's own words — and never a token.
 */
import { spawn } from 'node:child_process';
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
}

/** Credentials in URLs (`https://user:token@host`) never reach a message. */
export function scrubUrl(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
}

/**
 * The environment every git child gets: never prompt for credentials (a prompt would hang CI),
 * and English messages, because push.ts reads git's stderr to tell a rejection from a failure.
 */
export function gitEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}

/** git's words for ENOSPC / EDQUOT, in its various messages. */
export const DISK_FULL = /no space left on device|out of diskspace|disk quota exceeded/i;

export function git(args: string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: gitEnv(opts.env),
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
    const child = spawn('git', args, { cwd: opts.cwd, env: gitEnv(opts.env) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new EnvironmentError(`could not run git: ${e.message}`, { cause: e })));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), code: code ?? 1, stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end();
  });
}
