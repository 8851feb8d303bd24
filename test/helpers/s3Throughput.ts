/**
 * Hashing throughput and peak memory of an S3 artifact digest, measured in a separate Node
 * process (so the test runner's own memory does not count) against s3rver, next to
 * `sha256sum` on the same bytes. Used by test/artifacts/memory.test.ts and runnable on its own:
 * `node test/helpers/s3-throughput.mjs [size-MB]`.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startS3 } from './s3';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = join(HERE, '..', '..');

export interface ThroughputResult {
  bytes: number;
  digest: string;
  /** sha256sum's digest of the same bytes, as `sha256:<hex>`. */
  sha256sumDigest: string;
  seconds: number;
  mbPerSecond: number;
  sha256sumSeconds: number;
  sha256sumMbPerSecond: number;
  /** Peak RSS of the hashing process. */
  maxRssMb: number;
}

/** Writes a `sizeMb` MiB object straight into s3rver's storage, digests it in a child, compares. */
export async function hashThroughput(sizeMb: number): Promise<ThroughputResult> {
  const s3 = await startS3({ buckets: ['bench'] });
  const cache = join(PROJECT, 'node_modules', '.cache', 'modelgate');
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, 'hash-'));
  try {
    const file = s3.objectPath('bench', 'model/weights.bin');
    writeObject(file, sizeMb);
    const child = join(work, 'hashChild.mjs');
    await build({
      entryPoints: [join(HERE, 'hashChild.ts')],
      outfile: child,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Resolved from node_modules at run time: the bundle lives under the project for that.
      packages: 'external',
      logLevel: 'warning',
    });
    const { stdout } = await run(process.execPath, [child, 's3://bench/model/weights.bin'], {
      env: { ...process.env, ...s3.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 1 << 20,
    });
    const m = JSON.parse(stdout.trim().split('\n').at(-1)!) as { digest: string; bytes: number; ms: number; maxRssMb: number };
    const t0 = performance.now();
    const sum = await run('sha256sum', [file]);
    const sha256sumSeconds = (performance.now() - t0) / 1000;
    const mb = m.bytes / 1e6;
    return {
      bytes: m.bytes,
      digest: m.digest,
      sha256sumDigest: `sha256:${sum.stdout.split(' ')[0]}`,
      seconds: m.ms / 1000,
      mbPerSecond: mb / (m.ms / 1000),
      sha256sumSeconds,
      sha256sumMbPerSecond: mb / sha256sumSeconds,
      maxRssMb: m.maxRssMb,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await s3.stop();
  }
}

/**
 * `sizeMb` MiB of incompressible bytes, written 1 MiB at a time, with the `.md5` sidecar s3rver
 * would otherwise compute on the first request (and bill to the measured hash time).
 */
function writeObject(path: string, sizeMb: number): void {
  const chunk = randomBytes(1 << 20);
  const md5 = createHash('md5');
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < sizeMb; i++) {
      chunk.writeUInt32LE(i, 0); // no two MiB alike
      writeSync(fd, chunk);
      md5.update(chunk);
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(`${path}.md5`, md5.digest('hex'));
}
