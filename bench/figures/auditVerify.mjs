// audit_verify: `modelgate audit verify` over the largest registry (1,000 records per model:
// 1,000,000 over 1,000 models), against a node script that JSON.parse()s and sha256es every line
// in the plainest loop. Both spawned as processes. Target <= 2x the floor, peak RSS <= 256 MB.
// A run is stopped after config.auditTimeoutMs (the figure then gives the ratio it exceeds), and
// the same is measured on the 100-model registry, where it completes.
import { join } from 'node:path';
import { against, interleaved, median, productEnv, r1, r3, timed } from '../lib/measure.mjs';
import { spawnTracer } from '../lib/spawns.mjs';

const TARGET = 2;
const RSS_TARGET_MB = 256;

export async function auditVerify(ctx) {
  const sizes = ctx.config.sizes;
  const largest = await measure(ctx, sizes.at(-1), ctx.config.runs.audit);
  if (sizes.length > 1 && ctx.config.auditAlsoAt) largest[`at_${ctx.config.auditAlsoAt}_models`] = await measure(ctx, ctx.config.auditAlsoAt, 1);
  return largest;
}

async function measure(ctx, models, rounds) {
  const fixture = await ctx.registry(models);
  const repo = fixture.repo;
  const cli = join(ctx.dist, 'cli.js');
  const args = [cli, 'audit', 'verify', '--format', 'json', '--repo', repo];
  // The processes it starts are counted in the same runs (a preloaded hook: one module more at start-up).
  const tracer = spawnTracer();
  const timeoutMs = ctx.config.auditTimeoutMs;
  ctx.log(`  audit_verify: ${fixture.auditRecords} records over ${fixture.params.models} models, up to ${rounds} rounds (each stopped after ${timeoutMs / 1000} s)`);
  const samples = await interleaved(
    {
      modelgate: () => {
        tracer.reset(); // counts are the last run's
        return timed(process.execPath, [...tracer.nodeArgs, ...args], { cwd: repo, env: productEnv(tracer.env), rusage: true, timeoutMs });
      },
      floor: () => timed(process.execPath, [join(ctx.benchDir, 'probes', 'floorAudit.mjs'), repo], { cwd: repo, rusage: true }),
    },
    rounds,
    { log: ctx.log, warmup: 0, budgetMs: 120_000 },
  );
  const last = samples.modelgate.at(-1);
  const spawns = tracer.read();
  tracer.cleanup();
  const figure = against(samples.modelgate, samples.floor, TARGET);
  const rss = median(samples.modelgate.map((s) => s.maxRssMb));
  const result = {
    ...figure,
    ok: figure.ok && rss <= RSS_TARGET_MB,
    max_rss_mb: r1(rss),
    rss_target_mb: RSS_TARGET_MB,
    floor_max_rss_mb: r1(median(samples.floor.map((s) => s.maxRssMb))),
    records: fixture.auditRecords,
    models: fixture.params.models,
    git_processes: spawns.total,
    git_commands: spawns.byCommand,
    runs: samples.modelgate.length,
    how: 'both spawned: dist/cli.js audit verify vs bench/probes/floorAudit.mjs (readFileSync, split, JSON.parse + sha256 per line)',
  };
  if (last.timedOut) {
    result.ok = false;
    result.timed_out = true;
    result.ratio_at_least = r3(timeoutMs / median(samples.floor.map((s) => s.ms)));
    result.problems = [`audit verify did not finish in ${timeoutMs / 1000} s (stopped); ms is the time it was given, git_processes what it had started by then`];
    return result;
  }
  let out = {};
  try {
    out = JSON.parse(last.stdout);
  } catch {
    // reported below
  }
  if (last.code !== 0 || out.ok !== true || out.records !== fixture.auditRecords) {
    result.ok = false;
    result.problems = [`audit verify exited ${last.code}: ${(last.stdout + last.stderr).slice(0, 600)}`];
  }
  return result;
}
