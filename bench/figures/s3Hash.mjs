// s3_hash: MB/s of the product's S3 artifact digest (test/helpers/s3Throughput.ts: s3rver in a
// child process, the digest computed in another by src/artifacts/digest.ts) against
// `sha256sum` on the same bytes. The issue sets no target; the ratio is sha256sum's speed over
// ours (how many times slower), and peak RSS is held to the 150 MB the memory test asserts.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, r1, r3 } from '../lib/measure.mjs';

const RSS_LIMIT_MB = 150;

export async function s3Hash(ctx) {
  const helpers = join(ctx.projectDir, 'test', 'helpers');
  // Under the project's node_modules (as test/helpers/s3-throughput.mjs does): the bundle keeps
  // its packages external, and they must resolve from where it lies.
  const cache = join(ctx.projectDir, 'node_modules', '.cache', 'modelgate');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, 'bench-s3-'));
  try {
    return await measure(ctx, helpers, join(outdir, 's3Throughput.mjs'));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function measure(ctx, helpers, out) {
  await build({
    entryPoints: [join(helpers, 's3Throughput.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // The bundle moves: its import.meta.url-relative paths must still point at test/helpers.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(helpers, 's3Throughput.ts')).href) },
    logLevel: 'warning',
  });
  const { hashThroughput } = await import(pathToFileURL(out).href);
  const size = ctx.config.s3Mb;
  const runs = [];
  for (let i = 0; i < ctx.config.runs.s3; i++) {
    const r = await hashThroughput(size);
    if (r.digest !== r.sha256sumDigest) throw new Error(`s3_hash: digest ${r.digest} differs from sha256sum's ${r.sha256sumDigest}`);
    runs.push(r);
    ctx.log(`    round ${i + 1}/${ctx.config.runs.s3}: ${r.mbPerSecond.toFixed(0)} MB/s (sha256sum ${r.sha256sumMbPerSecond.toFixed(0)} MB/s), RSS ${r.maxRssMb.toFixed(0)} MB`);
  }
  const mbps = median(runs.map((r) => r.mbPerSecond));
  const floor = median(runs.map((r) => r.sha256sumMbPerSecond));
  const rss = median(runs.map((r) => r.maxRssMb));
  return {
    mb_per_s: r1(mbps),
    floor_mb_per_s: r1(floor),
    ms: r1(median(runs.map((r) => r.seconds * 1000))),
    floor_ms: r1(median(runs.map((r) => r.sha256sumSeconds * 1000))),
    ratio: r3(floor / mbps),
    target: null,
    max_rss_mb: r1(rss),
    rss_target_mb: RSS_LIMIT_MB,
    ok: rss <= RSS_LIMIT_MB,
    size_mb: size,
    runs: ctx.config.runs.s3,
    how: 'test/helpers/s3Throughput.ts: s3rver child + src/artifacts/digest.ts in a child, vs sha256sum on the stored file',
  };
}
