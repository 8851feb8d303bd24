/**
 * Runs the bundled CLI exactly as a user does: `node dist/cli.js <args>` in a child process,
 * with a controlled environment (no GitHub or AWS variables leak in from the host).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The bundle under test: dist/ (what `npm test` builds), or MODELGATE_DIST_DIR for a private build. */
const DIST = process.env.MODELGATE_DIST_DIR ? resolve(process.env.MODELGATE_DIST_DIR) : resolve(__dirname, '../../dist');
export const CLI = resolve(DIST, 'cli.js');
export const ACTION = resolve(DIST, 'action.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The host's variables that would change behaviour are dropped. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(GITHUB_|RUNNER_|INPUT_|AWS_|MODELGATE_|NO_COLOR|FORCE_COLOR|CI$)/.test(k)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runNode(script: string, args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const limit = opts.timeoutMs ?? 60_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limit);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // The helper's own kill is not an exit code of modelgate: it used to read as exit 128
      // (the "exit 128 under load" of issue 13), which looked like a broken exit-code contract.
      if (timedOut) {
        reject(new Error(`${script} ${args.join(' ')} did not finish within ${limit} ms; the test helper killed it (not modelgate's exit code)`));
        return;
      }
      // 128: a child that ended by a signal it did not handle (the tests' own SIGKILL crash points).
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** `modelgate <args>` against a repository. */
export function modelgate(repo: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runNode(CLI, [...args, '--repo', repo], { cwd: repo, env });
}
