/**
 * A 1,000,000-line metric file is read in bounded memory. Measured in a child process (its peak
 * RSS, `maxRSS`, before and after reading) so the test runner's own heap does not blur it; the
 * child runs an esbuild bundle of the real reader over a real directory.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';

const LINES = 1_000_000;
const RUN = 'mlruns/0/0123456789abcdef0123456789abcdef';

let dir: string;

async function writeMetricFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  let batch = '';
  for (let i = 0; i < LINES; i++) {
    // 17-significant-digit values (the slow number path), increasing steps, one NaN in the middle.
    batch += `${1700000000000 + i * 7} ${i === LINES / 2 ? 'nan' : (0.12345678901234567 + i / 3).toString()} ${i}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

const DRIVER = `
import { readRun } from './../../src/runs/read';
import { DirectorySource } from './sources';
const [root, ref] = process.argv.slice(2);
const source = new DirectorySource(root);
// Warm up module loading and the parser on a tiny run, so the baseline includes them.
await (await readRun(source, ref + '-small')).metrics.get('loss');
global.gc?.();
const before = process.resourceUsage().maxRSS;
const t0 = performance.now();
// The latest value is read when asked for (the run record is lazy): ask, as a check would.
const loss = await (await readRun(source, ref)).metrics.get('loss');
const ms = performance.now() - t0;
const after = process.resourceUsage().maxRSS;
console.log(JSON.stringify({ growthKiB: after - before, ms, loss }));
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mg-stream-'));
  await mkdir(join(dir, RUN, 'metrics'), { recursive: true });
  await writeFile(join(dir, RUN, 'meta.yaml'), 'run_id: 0123456789abcdef0123456789abcdef\nstatus: 3\n');
  await writeMetricFile(join(dir, RUN, 'metrics/loss'));
  await mkdir(join(dir, `${RUN}-small`, 'metrics'), { recursive: true });
  await writeFile(join(dir, `${RUN}-small`, 'meta.yaml'), 'run_id: small\nstatus: 3\n');
  await writeFile(join(dir, `${RUN}-small`, 'metrics/loss'), '1 0.12345678901234567 0\n');
  await build({
    stdin: { contents: DRIVER, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: 'ts', sourcefile: 'driver.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(dir, 'driver.mjs'),
    logLevel: 'error',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('reads the latest value of a 1,000,000-line metric file with < 64 MB RSS growth', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', join(dir, 'driver.mjs'), dir, RUN], { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as { growthKiB: number; ms: number; loss: number };
  expect(result.loss).toBe(0.12345678901234567 + (LINES - 1) / 3);
  expect(result.growthKiB).toBeLessThan(64 * 1024);
  // Generous: the file is ~37 MB; a whole-file read+split takes ~0.3-0.7 s on a CI core.
  expect(result.ms).toBeLessThan(20_000);
}, 120_000);
