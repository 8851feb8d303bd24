// cold_start: `node dist/cli.js --version`, and `node dist/action.js` on an event it has nothing
// to do for, against `node -e 0`. Heavy dependencies (AWS SDK, octokit) must load lazily:
// target <= 3x node's own start-up. Also lists the bundle files each one loads.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { interleaved, median, r1, r3, timed, productEnv } from '../lib/measure.mjs';
import { straceAvailable, traceRun } from '../lib/trace.mjs';

const TARGET = 3;

export async function coldStart(ctx) {
  const cli = join(ctx.dist, 'cli.js');
  const action = join(ctx.dist, 'action.js');
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-cold-'));
  try {
    const eventPath = join(dir, 'event.json');
    writeFileSync(eventPath, '{}\n');
    // A scheduled run with command `auto`: the Action logs that it has nothing to do and exits 0.
    const actionEnv = productEnv({ GITHUB_EVENT_NAME: 'schedule', GITHUB_EVENT_PATH: eventPath, GITHUB_WORKSPACE: dir, RUNNER_TEMP: dir, GITHUB_REPOSITORY: 'acme/models', 'INPUT_GITHUB-TOKEN': '' });
    ctx.log(`  cold_start: ${ctx.config.runs.cold} rounds`);
    const samples = await interleaved(
      {
        node: () => timed(process.execPath, ['-e', '0'], { cwd: dir }),
        cli_version: () => timed(process.execPath, [cli, '--version'], { cwd: dir }),
        action_idle: () => timed(process.execPath, [action], { cwd: dir, env: actionEnv }),
      },
      ctx.config.runs.cold,
      { log: () => {}, warmup: ctx.config.warmup + 1 },
    );
    const problems = [];
    const v = samples.cli_version.at(-1);
    if (v.code !== 0) problems.push(`--version exited ${v.code}: ${v.stderr.slice(0, 200)}`);
    const a = samples.action_idle.at(-1);
    if (a.code !== 0) problems.push(`the Action exited ${a.code}: ${(a.stdout + a.stderr).slice(0, 300)}`);
    const node = median(samples.node.map((s) => s.ms));
    const cliMs = median(samples.cli_version.map((s) => s.ms));
    const actionMs = median(samples.action_idle.map((s) => s.ms));
    const figure = {
      node_ms: r1(node),
      cli_version: { ms: r1(cliMs), ratio: r3(cliMs / node), loads: await loads(ctx, [cli, '--version'], dir, productEnv()) },
      action_idle: { ms: r1(actionMs), ratio: r3(actionMs / node), loads: await loads(ctx, [action], dir, actionEnv) },
      target: TARGET,
      runs: ctx.config.runs.cold,
    };
    figure.floor_ms = figure.node_ms;
    figure.ratio = r3(Math.max(cliMs, actionMs) / node);
    figure.ok = figure.ratio <= TARGET && problems.length === 0;
    if (problems.length) figure.problems = problems;
    return figure;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bundle files a start opens, and their total size (what lazy loading keeps small). */
async function loads(ctx, args, cwd, env) {
  if (!straceAvailable()) return undefined;
  const [script, ...rest] = args;
  const stripped = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('GITHUB_') || k.startsWith('RUNNER_') || k.startsWith('INPUT_')));
  const t = await traceRun(script, rest, cwd, stripped);
  const files = [...new Set(t.opens.filter((o) => o.ok && !o.directory && o.path.startsWith(ctx.dist + '/')).map((o) => o.path))];
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  return { files: files.map((f) => relative(ctx.dist, f)).sort(), kb: Math.round(bytes / 1024) };
}

