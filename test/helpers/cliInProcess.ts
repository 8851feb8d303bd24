/**
 * `modelgate <args>` run in the test's own process: cli/main's `main` with an Io that collects
 * what the CLI would print (made inert exactly as on a real stdout and stderr). For tests of
 * command behaviour that need no process of their own (no supervision, signals, kills or the
 * bundle itself); those run dist/cli.js through helpers/cli.ts.
 */
import { main } from '../../src/cli/main';
import { inertLine, type Io } from '../../src/cli/io';
import { cleanEnv, type RunResult } from './cli';

export async function modelgateInProcess(repo: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => void (stdout += inertLine(t)),
    err: (t) => void (stderr += inertLine(t)),
    color: false, // as for a piped stdout
    interactive: false,
  };
  // The environment the bundle would get: the host's GitHub, AWS and modelgate variables dropped.
  const code = await main([...args, '--repo', repo], io, cleanEnv(env));
  return { code, stdout, stderr };
}
