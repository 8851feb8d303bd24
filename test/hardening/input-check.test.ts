/**
 * Hostile documents reaching `check`: a manifest in the proposed change (the working tree), and
 * a policy or modelgate.yaml committed to the base state, where `check` reads them (SPEC: trust).
 * Exit 2 naming the file, no report on stdout, no stack trace, nothing written, bounded time
 * and memory; a BOM or CRLF manifest gives the same report as the plain one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRepo } from '../helpers/git';
import { makeHardeningRegistry, proposePromotion, TARGETS } from './fixtures/registry';
import { HOSTILE, PWNED, makeBigFile, plant, type Hostile } from './fixtures/hostile';
import { expectBounded, modelgateMeasured, resetRepo, summary, worktreeSnapshot } from './fixtures/harness';

let repo: TestRepo;
let scratch: string;
let big: string;
/** The report of the plain proposed promotion, which BOM and CRLF variants must reproduce. */
let plainReport: string;

beforeAll(async () => {
  repo = await makeHardeningRegistry();
  scratch = await mkdtemp(join(tmpdir(), 'mg-hostile-'));
  big = join(scratch, 'big');
  await makeBigFile(big);
  await proposePromotion(repo, 'manifest');
  const plain = await modelgateMeasured(repo.dir, ['check', '--format', 'json'], 'check: proposed manifest');
  expect(plain.code).toBe(0);
  plainReport = plain.stdout;
});

afterAll(async () => {
  console.log(summary('hostile documents through check'));
  await repo?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  expect(existsSync(PWNED)).toBe(false);
});

async function plantIn(doc: 'manifest' | 'policy' | 'config', h: Hostile): Promise<string> {
  const path = TARGETS[doc];
  const valid = await readFile(join(repo.dir, path));
  await plant(join(repo.dir, path), h.make(valid, big));
  return path;
}

describe('a hostile manifest in a proposed change, read by `check`', () => {
  it.each(HOSTILE.map((h) => [h.name, h] as const))('%s', async (_name, h) => {
    await resetRepo(repo.dir);
    // The variant of the proposed manifest (for BOM and CRLF the proposal itself, re-encoded).
    await proposePromotion(repo, 'manifest');
    await plantIn('manifest', h);
    const before = await worktreeSnapshot(repo.dir);
    const r = await modelgateMeasured(repo.dir, ['check', '--format', 'json'], `check: manifest: ${h.name}`);
    expectBounded(r, h.name);
    if (h.outcome === 'accept') {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(plainReport);
    } else {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`error: ${TARGETS.manifest}`);
    }
    expect(await worktreeSnapshot(repo.dir)).toBe(before);
  });
});

describe('hostile policy and modelgate.yaml committed to the base state, read by `check`', () => {
  // `check` reads policies and the layout from the base commit (SPEC: trust), so the hostile
  // file is committed; git cannot hold a FIFO, and the 100 MB and BOM/CRLF variants are covered
  // by `validate` above.
  const committed = HOSTILE.filter((h) => !['a FIFO', '100 MB file'].includes(h.name) && h.outcome !== 'accept');
  // An empty modelgate.yaml is the defaults: accepted (covered by `validate`).
  const cases = (['policy', 'config'] as const).flatMap((doc) =>
    committed.filter((h) => !(doc === 'config' && h.name === 'an empty file')).map((h) => [doc, h.name, h] as const),
  );
  it.each(cases)('%s: %s', async (doc, _name, h) => {
    await resetRepo(repo.dir);
    const path = await plantIn(doc, h);
    const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
    try {
      await repo.commitAll(`hostile ${doc}`);
      await proposePromotion(repo, 'manifest');
      const before = await worktreeSnapshot(repo.dir);
      const r = await modelgateMeasured(repo.dir, ['check', '--format', 'json'], `check: committed ${doc}: ${h.name}`);
      expectBounded(r, h.name);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(path);
      expect(await worktreeSnapshot(repo.dir)).toBe(before);
    } finally {
      await repo.git(['reset', '-q', '--hard', head]);
    }
  });
});
