/**
 * `audit verify` streams: a log much larger than the verifier's heap verifies in a child
 * process whose V8 heap is capped far below the log's size. The unit test uses 150,000
 * records (~90 MB); set MODELGATE_AUDIT_RECORDS=1000000 for the full million (the benchmark size).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { GENESIS_PREV } from '../../src/audit/types';

const RECORDS = Number(process.env.MODELGATE_AUDIT_RECORDS ?? 150_000);
const HEAP_MB = 32;
const MODEL = 'churn-predictor';
const src = fileURLToPath(new URL('../../src/audit', import.meta.url));

const CHILD = `
import { createReadStream } from 'node:fs';
import { readLines } from ${JSON.stringify(join(src, 'log'))};
import { verifyChainStream } from ${JSON.stringify(join(src, 'chain'))};
import { Replayer } from ${JSON.stringify(join(src, 'replay'))};
const [file, model] = process.argv.slice(2);
const replay = new Replayer();
const started = performance.now();
const res = await verifyChainStream(readLines(createReadStream(file)), model, file, (r) => replay.apply(r));
console.log(JSON.stringify({
  count: res.count,
  problems: res.problems.slice(0, 5),
  production: replay.state.productionHistory.length,
  seconds: (performance.now() - started) / 1000,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
}));
`;

/** Writes a valid chain fast: records are built with their keys already in canonical order. */
async function writeLog(path: string, n: number): Promise<number> {
  const out = createWriteStream(path);
  let prev = GENESIS_PREV;
  let batch: string[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const head = {
      action: 'promote',
      actor: 'alice',
      checks: [{ id: 'metric:val_auc.min', level: 'deny', status: 'pass' }, { id: 'tag:data_version.required', level: 'deny', status: 'pass' }],
      evidence: { baseline: { metrics: { val_auc: 0.8851 }, version: seq }, metrics: { val_auc: 0.8862 + seq * 1e-9 } },
      from: 'Staging',
    };
    const tail = {
      model: MODEL,
      prev,
      reason: `promotion ${seq}: beats the champion on val_auc; approved in review by the ML leads`,
      seq,
      source: { commit: seq.toString(16).padStart(40, '0'), pr: seq },
      time: new Date(1.7e12 + seq * 1000).toISOString(),
      to: 'Production',
      version: 1 + (seq % 1000),
    };
    const hash = 'sha256:' + createHash('sha256').update(JSON.stringify({ ...head, ...tail })).digest('hex');
    batch.push(JSON.stringify({ ...head, hash, ...tail }));
    prev = hash;
    if (batch.length === 2000 || seq === n) {
      if (!out.write(batch.join('\n') + '\n')) await once(out, 'drain');
      batch = [];
    }
  }
  out.end();
  await once(out, 'close');
  return (await fs.stat(path)).size;
}

describe('verifying a large log', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'modelgate-audit-mem-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it(`streams ${RECORDS} records with a ${HEAP_MB} MB heap and stays under 256 MB RSS`, async () => {
    const log = join(dir, `${MODEL}.jsonl`);
    const bytes = await writeLog(log, RECORDS);
    expect(bytes).toBeGreaterThan(2 * HEAP_MB * 1024 * 1024); // the log cannot fit in the heap

    const entry = join(dir, 'verify.mjs');
    await build({ stdin: { contents: CHILD, resolveDir: src, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: entry, logLevel: 'silent' });
    const { stdout } = await promisify(execFile)(process.execPath, [`--max-old-space-size=${HEAP_MB}`, entry, log, MODEL], { maxBuffer: 1 << 20 });
    const result = JSON.parse(stdout) as { count: number; problems: unknown[]; production: number; seconds: number; maxRssMB: number };

    expect(result.problems).toEqual([]);
    expect(result.count).toBe(RECORDS);
    expect(result.production).toBeGreaterThan(0);
    expect(result.maxRssMB).toBeLessThan(256);
  }, 600_000);
});
