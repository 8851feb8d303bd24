// validate_all: `modelgate validate` over the largest registry (every manifest and policy),
// against a node script that only YAML.parse()s the same files. Both are processes started the
// same way, so both pay node's start-up; target <= 1.5x.
import { join } from 'node:path';
import { against, interleaved, median, r1, timed } from '../lib/measure.mjs';

const TARGET = 1.5;

export async function validateAll(ctx) {
  const fixture = await ctx.registry(ctx.config.sizes.at(-1));
  const repo = fixture.repo;
  const cli = join(ctx.dist, 'cli.js');
  ctx.log(`  validate_all: ${fixture.params.models} manifests x ${fixture.params.versions} versions, ${ctx.config.runs.validate} rounds`);
  const samples = await interleaved(
    {
      modelgate: () => timed(process.execPath, [cli, 'validate', '--format', 'json', '--repo', repo], { cwd: repo, rusage: true }),
      floor: () => timed(process.execPath, [join(ctx.benchDir, 'probes', 'floorValidate.mjs'), repo], { cwd: repo, rusage: true }),
    },
    ctx.config.runs.validate,
    { log: ctx.log, warmup: 0, budgetMs: 120_000 },
  );
  const last = samples.modelgate.at(-1);
  const out = JSON.parse(last.stdout || '{}');
  const figure = {
    ...against(samples.modelgate, samples.floor, TARGET),
    models: out.models,
    versions: fixture.params.models * fixture.params.versions,
    max_rss_mb: r1(median(samples.modelgate.map((s) => s.maxRssMb))),
    floor_max_rss_mb: r1(median(samples.floor.map((s) => s.maxRssMb))),
    runs: samples.modelgate.length,
    how: 'both spawned as `node <script>`: dist/cli.js validate vs bench/probes/floorValidate.mjs (readFileSync + YAML.parse)',
  };
  if (last.code !== 0 || out.valid !== true || out.models !== fixture.params.models) {
    figure.ok = false;
    figure.problems = [`validate exited ${last.code}: ${(last.stdout + last.stderr).slice(0, 400)}`];
  }
  return figure;
}
