// The processes a CLI run starts, counted by the preloaded hook (lib/hooks/trace-git.mjs):
// cheap enough to ride along in a timed run (one extra module at start-up).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOOK = join(dirname(fileURLToPath(import.meta.url)), 'hooks', 'trace-git.mjs');

/** `node` arguments and environment that make a run log its spawns; `reset()` before a run, `read()` after. */
export function spawnTracer() {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-spawns-'));
  const file = join(dir, 'trace');
  return {
    nodeArgs: ['--import', HOOK],
    env: { MODELGATE_BENCH_TRACE: file },
    reset: () => writeFileSync(file, ''),
    read() {
      const events = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
      const spawns = events.filter((e) => e.type === 'spawn');
      const byCommand = {};
      for (const s of spawns) {
        const key = [s.command, ...s.args.filter((a) => !a.startsWith('-')).slice(0, 1)].join(' ');
        byCommand[key] = (byCommand[key] ?? 0) + 1;
      }
      return { total: spawns.length, byCommand };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
