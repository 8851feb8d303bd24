/**
 * Out of memory is not an exception JavaScript can catch: V8 prints "FATAL ERROR: … JavaScript
 * heap out of memory" and a native stack trace, and the process aborts (exit 134), outside the
 * 0/1/2/3 contract. So the CLI and the Action run their command in a child process of the same
 * bundle and this parent only watches: the child's exit code 0–3 is passed on; any other end
 * (out of memory, killed by the kernel's OOM killer, a crash) is exit 3 with one line, and the
 * child's native trace is not shown. The bounds on input (README, "Bounded input") keep a
 * well-formed command far from the heap limit; this is the last line.
 *
 * stdin and stdout are the child's own (inherited); stderr passes through the parent, which is
 * how a V8 abort report is held back. `MODELGATE_MAX_HEAP_MB` caps the child's heap
 * (`--max-old-space-size`); by default node's own limit applies.
 */
import { spawn } from 'node:child_process';
import { exitAfterBudget } from './signals';

const CHILD = 'MODELGATE_SUPERVISED';
/** Where V8's fatal report starts: nothing from there on is passed through. */
const FATAL = /<--- Last few GCs --->|FATAL ERROR:|#\s*Fatal (?:javascript|error)|\n\s*1: 0x[0-9a-f]+ /;

/** True in the child (run the command); false in the parent (supervise). */
export function isSupervisedChild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[CHILD] === '1';
}

/** In the child: end with exit 3 when the parent goes away; the channel never keeps the child alive. */
export function stopWithParent(): void {
  if (!process.channel) return;
  process.channel.unref();
  process.on('disconnect', () => process.exit(3));
}

/** Runs this same entry script as a child and ends with its exit code, or 3 for anything else. */
export function superviseSelf(onFailure: (line: string) => void): void {
  const heap = process.env.MODELGATE_MAX_HEAP_MB;
  const heapFlag = heap !== undefined && /^[1-9][0-9]*$/.test(heap) ? [`--max-old-space-size=${heap}`] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...heapFlag, process.argv[1]!, ...process.argv.slice(2)], {
    // The IPC channel tells the child when this parent is gone (killed with SIGKILL, which
    // cannot be passed on): it then stops too, rather than run on unwatched.
    stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, [CHILD]: '1', ...(process.stderr.isTTY ? { MODELGATE_STDERR_TTY: '1' } : {}) },
  });
  let tail = '';
  let fatal = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (fatal) return;
    const text = chunk.toString('utf8');
    const seen = tail + text;
    const m = FATAL.exec(seen);
    if (m) {
      fatal = true;
      // Pass on what came before the report (this chunk's part of it).
      const cut = m.index - tail.length;
      const before = cut > 0 ? text.slice(0, cut) : '';
      if (before.trim() !== '') process.stderr.write(before);
      return;
    }
    process.stderr.write(chunk);
    tail = seen.slice(-200);
  });
  // A cancelled job signals the whole process group; a signal sent to the parent alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  // The budget is kept here, where even a child stuck in synchronous code is ended.
  exitAfterBudget(process.env, onFailure, () => child.kill('SIGKILL'));
  child.on('error', (err) => {
    onFailure(`error: could not start modelgate: ${err.message}: nothing was allowed`);
    process.exit(3);
  });
  child.on('close', (code, signal) => {
    if (code !== null && code >= 0 && code <= 3 && !fatal) {
      process.exitCode = code;
      return;
    }
    const why = fatal || code === 134 || signal === 'SIGABRT' ? 'ran out of memory' : signal === 'SIGKILL' ? 'was killed (SIGKILL; out of memory?)' : `stopped unexpectedly (${signal ?? `exit ${code}`})`;
    onFailure(`error: modelgate ${why}: nothing was allowed\n  hint: the run is bounded (README, "Bounded input"); MODELGATE_MAX_HEAP_MB raises or lowers the memory it may use`);
    process.exitCode = 3;
  });
}
