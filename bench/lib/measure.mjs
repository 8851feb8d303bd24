// Timing child processes: wall time from spawn to exit, optional peak RSS (GNU time), and
// medians over interleaved rounds so that a busy machine slows the product and its floor alike.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

/**
 * The environment the product runs in: the host's variables that would change its behaviour
 * (GitHub, AWS, modelgate's own) dropped, git without the host's global configuration.
 */
export function productEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(GITHUB_|RUNNER_|INPUT_|AWS_|MODELGATE_|NODE_OPTIONS$|NO_COLOR|FORCE_COLOR|CI$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', ...extra };
}

/**
 * Runs `cmd args` to completion. `rusage: true` runs it under GNU time to read its CPU time
 * (user + system) and peak resident set, both covering the children it waited for (git):
 * CPU time barely moves when other jobs compete for the cores, so it backs up the wall time.
 * @returns {Promise<{ ms: number, code: number, stdout: string, stderr: string, cpuMs?: number, maxRssMb?: number, timedOut?: boolean }>}
 */
export function timed(cmd, args, opts = {}) {
  let file = cmd;
  let argv = args;
  let rssDir;
  if (opts.rusage && existsSync(GNU_TIME)) {
    rssDir = mkdtempSync(join(tmpdir(), 'mg-bench-rusage-'));
    file = GNU_TIME;
    argv = ['-f', '%U %S %M', '-o', join(rssDir, 'rusage'), cmd, ...args];
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so a timeout ends it with everything it started (GNU time, node, git).
    const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env ?? productEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child.pid);
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, opts.timeoutMs ?? 600_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      running.delete(child.pid);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      running.delete(child.pid);
      const result = { ms, code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (timedOut) result.timedOut = true;
      if (rssDir) {
        try {
          // GNU time prints "Command exited with non-zero status N" first when it did.
          const [user, sys, kb] = readFileSync(join(rssDir, 'rusage'), 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
          if (Number.isFinite(user) && Number.isFinite(sys)) result.cpuMs = (user + sys) * 1000;
          if (Number.isFinite(kb)) result.maxRssMb = kb / 1024;
        } catch {
          // no figure: time could not write it (killed)
        }
        rmSync(rssDir, { recursive: true, force: true });
      }
      resolve(result);
    });
  });
}

/** Process groups of runs in progress: ended with the harness (Ctrl-C, or an error). */
const running = new Set();

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid);
    process.exit(130);
  });
}
process.on('exit', () => {
  for (const pid of running) killGroup(pid);
});

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One decimal for ms and MB, three for ratios: figures, not noise. */
export const r1 = (x) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
export const r3 = (x) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/**
 * Runs each named task `rounds` times, interleaved (A B C A B C ...), after one unmeasured
 * warm-up of each (page cache, JIT-less first start), starting no new round once `budgetMs`
 * has passed. Returns every sample per task.
 * @param {Record<string, () => Promise<{ ms: number } & object>>} tasks
 */
export async function interleaved(tasks, rounds, { warmup = 1, log = () => {}, budgetMs = Infinity } = {}) {
  const samples = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let w = 0; w < warmup; w++) for (const fn of Object.values(tasks)) await fn();
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    // A figure far off its target can take minutes per round: past the budget, one round is
    // enough to show it (the figure reports how many rounds it got).
    if (r > 0 && performance.now() - started > budgetMs) break;
    for (const [name, fn] of Object.entries(tasks)) samples[name].push(await fn());
    log(`    round ${r + 1}/${rounds}: ${Object.entries(samples).map(([k, v]) => `${k} ${Math.round(v.at(-1).ms)} ms`).join(', ')}`);
  }
  return samples;
}

/**
 * A figure compared with its floor: ratio = measured / floor (wall time medians), ok when
 * ratio <= target. With CPU times (GNU time), their medians and ratio are reported beside.
 */
export function against(measured, floor, target) {
  const ms = median(measured.map((s) => s.ms));
  const floorMs = median(floor.map((s) => s.ms));
  const ratio = ms / floorMs;
  const out = { ms: r1(ms), floor_ms: r1(floorMs), ratio: r3(ratio), target, ok: Number.isFinite(ratio) ? ratio <= target : false };
  const cpu = median(measured.map((s) => s.cpuMs));
  const floorCpu = median(floor.map((s) => s.cpuMs));
  if (Number.isFinite(cpu) && Number.isFinite(floorCpu)) Object.assign(out, { cpu_ms: r1(cpu), floor_cpu_ms: r1(floorCpu), cpu_ratio: r3(cpu / floorCpu) });
  return out;
}
