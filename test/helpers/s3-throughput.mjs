// Measures S3 artifact hashing (MB/s, peak RSS) against sha256sum on the same bytes:
//   node test/helpers/s3-throughput.mjs [size-MB, default 512]
// Bundles test/helpers/s3Throughput.ts with esbuild (under node_modules/.cache so that
// dependencies resolve) and prints its result as JSON.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cache = join(here, '..', '..', 'node_modules', '.cache', 'modelgate');
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(cache, 'bench-'));
try {
  const out = join(work, 's3Throughput.mjs');
  await build({
    entryPoints: [join(here, 's3Throughput.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // The bundle moves: point import.meta.url-relative paths back at test/helpers.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(here, 's3Throughput.ts')).href) },
    logLevel: 'warning',
  });
  const { hashThroughput } = await import(pathToFileURL(out).href);
  const sizeMb = Number(process.argv[2] ?? 512);
  console.log(JSON.stringify(await hashThroughput(sizeMb), null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
