// Preloaded into the CLI (`node --import`) when counting what a command does: logs every
// process it spawns and every object it asks a long-lived `git cat-file --batch[-check]` for.
// Those reads never show as file opens (git reads its pack), so strace alone would miss them.
// Appended to $MODELGATE_BENCH_TRACE as JSON lines as they happen (a run stopped by a timeout
// still leaves its trace).
import cp from 'node:child_process';
import { openSync, writeSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const fd = process.env.MODELGATE_BENCH_TRACE ? openSync(process.env.MODELGATE_BENCH_TRACE, 'a') : undefined;
const log = (event) => {
  if (fd !== undefined) writeSync(fd, JSON.stringify(event) + '\n');
};
const original = cp.spawn;

cp.spawn = function spawn(command, args, options) {
  const child = original.apply(this, arguments);
  const argv = Array.isArray(args) ? args.map(String) : [];
  log({ type: 'spawn', command: String(command), args: argv });
  const mode = argv.find((a) => a === '--batch' || a === '--batch-check');
  if (command === 'git' && argv.includes('cat-file') && mode && child.stdin) {
    const write = child.stdin.write.bind(child.stdin);
    child.stdin.write = (chunk, ...rest) => {
      for (const line of String(chunk).split('\n')) if (line) log({ type: mode.slice(2), spec: line });
      return write(chunk, ...rest);
    };
  }
  return child;
};
// ESM importers of node:child_process see the patched function too.
syncBuiltinESMExports();
