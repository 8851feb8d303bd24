// git_reads: the manifests of every model of the largest registry at a ref (`main`), read
// through the product's GitState (bundled from src/) in one process, against one
// `git cat-file --batch` given every blob at once. The product is timed both as commands use it
// (one await per manifest) and with all reads in flight. Target <= 1.5x, and no process per file.
import { join } from 'node:path';
import { median, r1, r3, timed } from '../lib/measure.mjs';

const TARGET = 1.5;

export async function gitReads(ctx) {
  const fixture = await ctx.registry(ctx.config.sizes.at(-1));
  const bundle = await ctx.bundle();
  const models = fixture.params.models;
  ctx.log(`  git_reads: ${models} manifests at main, ${ctx.config.runs.git} rounds`);
  const r = await timed(process.execPath, [join(ctx.benchDir, 'probes', 'gitReads.mjs'), bundle, fixture.repo, 'main', String(models), String(ctx.config.runs.git)], { cwd: fixture.repo });
  if (r.code !== 0) throw new Error(`git_reads probe failed: ${r.stderr.slice(0, 500)}`);
  const out = JSON.parse(r.stdout);
  const seq = median(out.sequential);
  const conc = median(out.concurrent);
  const floor = median(out.floor);
  const ratio = seq / floor;
  const sameBytes = out.bytes.sequential === out.bytes.floor && out.bytes.concurrent === out.bytes.floor;
  return {
    ms: r1(seq),
    floor_ms: r1(floor),
    ratio: r3(ratio),
    target: TARGET,
    ok: ratio <= TARGET && out.processes.sequential <= 2 && sameBytes,
    concurrent_ms: r1(conc),
    concurrent_ratio: r3(conc / floor),
    processes: out.processes,
    manifests: models,
    bytes: out.bytes.floor,
    runs: ctx.config.runs.git,
    how: 'in-process: GitState.open + readText per manifest (sequential awaits, and all at once) vs one git cat-file --batch',
  };
}
