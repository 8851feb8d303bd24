// metric_history: the latest value of a 1,000,000-line MLflow metric file, read by the product's
// run reader (readRun through a WorktreeState, imported from a bundle of src/), against reading
// the file whole and splitting its lines. Measured inside a fresh process each time, from just
// before the read to just after (module loading excluded on both sides): the figure is the
// reader's, and node's start-up would hide a 2x difference. Target <= 2x the floor and peak RSS
// growth <= 64 MB.
import { join } from 'node:path';
import { against, interleaved, median, r1, timed } from '../lib/measure.mjs';

const TARGET = 2;
const RSS_TARGET_MB = 64;

export async function metricHistory(ctx) {
  const fixture = await ctx.metricRun();
  const bundle = await ctx.bundle();
  const probe = join(ctx.benchDir, 'probes', 'metric.mjs');
  const run = (mode) => async () => {
    const r = await timed(process.execPath, [probe, mode, bundle, fixture.root, fixture.run], {});
    if (r.code !== 0) throw new Error(`metric probe (${mode}) failed: ${r.stderr.slice(0, 500)}`);
    const out = JSON.parse(r.stdout);
    return { ...out, processMs: r.ms };
  };
  ctx.log(`  metric_history: ${fixture.lines} lines, ${ctx.config.runs.metric} rounds`);
  const samples = await interleaved({ modelgate: run('product'), floor: run('floor') }, ctx.config.runs.metric, { log: ctx.log, warmup: ctx.config.warmup });
  const growth = samples.modelgate.map((s) => s.maxRssMb - s.rssBeforeMb);
  const floorGrowth = samples.floor.map((s) => s.maxRssMb - s.rssBeforeMb);
  const figure = against(samples.modelgate, samples.floor, TARGET);
  const value = samples.modelgate.at(-1).value;
  const rssGrowth = median(growth);
  return {
    ...figure,
    ok: figure.ok && rssGrowth <= RSS_TARGET_MB && value === samples.floor.at(-1).value,
    rss_growth_mb: r1(rssGrowth),
    rss_target_mb: RSS_TARGET_MB,
    floor_rss_growth_mb: r1(median(floorGrowth)),
    lines: fixture.lines,
    value,
    runs: ctx.config.runs.metric,
    how: 'in-process: readRun(WorktreeState) from a bundle of src/ vs readFileSync + split, each in a fresh node',
  };
}
