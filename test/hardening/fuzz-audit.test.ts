/**
 * Fuzzing audit logs through the CLI bundle (fast-check): the log of a real repository after
 * three decisions is mutated at random (characters deleted or inserted, values retyped, lines
 * swapped, duplicated or truncated) and the CLI is run as a user would. The in-process chain
 * verifier is the oracle:
 * - `audit verify` exits 1 whenever the chain has a problem, and 0 only on the untouched log
 *   (or one that differs in nothing that matters); a fresh process gives the same bytes;
 * - `check` of a change to the model refuses (exit 2) when the chain is broken or the change
 *   does not only append to the committed log, and judges it (exit 0/1) otherwise;
 * - `audit` (the history) either lists the records or exits 2 naming the line; never a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRepo } from '../helpers/git';
import { makeRegistry } from '../helpers/registry';
import { verifyChainStream } from '../../src/audit/chain';
import { readLines } from '../../src/audit/log';
import { asFileText, fuzzTimeout, mutated, runs } from './fixtures/mutate';
import { STACK_TRACE, modelgateMeasured, summary } from './fixtures/harness';

const LOG = 'audit/churn-predictor.jsonl';
const MODEL = 'registry/churn-predictor.yaml';

let repo: TestRepo;
let good: string;
let original: string;
let originalHashes: string[];
let tried = 0;

beforeAll(async () => {
  repo = await makeRegistry();
  for (const args of [
    ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'beats the champion'],
    ['promote', 'churn-predictor', '3', '--to', '@challenger', '--reason', 'shadow'],
    ['rollback', 'churn-predictor', '--reason', 'latency'],
  ]) {
    const r = await modelgateMeasured(repo.dir, [...args, '--actor', 'alice', '--commit']);
    expect(r.code, r.stderr).toBe(0);
  }
  good = (await repo.git(['rev-parse', 'HEAD'])).trim();
  original = await readFile(join(repo.dir, LOG), 'utf8');
  originalHashes = (await chainOf(original)).hashes;
  expect(originalHashes).toHaveLength(5);
});

afterAll(async () => {
  console.log(`${summary('fuzz: audit logs')}; ${tried} logs tried`);
  await repo?.cleanup();
});

/** The in-process verdict on a log's text: its chain problems and its records' hashes in file order. */
async function chainOf(text: string): Promise<{ problems: string[]; hashes: string[] }> {
  const hashes: string[] = [];
  const source = (async function* () {
    yield Buffer.from(text, 'utf8');
  })();
  const r = await verifyChainStream(readLines(source, LOG), 'churn-predictor', LOG, (rec) => hashes.push(rec.hash));
  return { problems: r.problems.map((p) => p.message), hashes };
}

async function cli(args: string[], label: string) {
  const r = await modelgateMeasured(repo.dir, args, label);
  expect(r.stdout + r.stderr, label).not.toMatch(STACK_TRACE);
  expect(r.stderr, label).not.toMatch(/internal error/);
  return r;
}

describe('fuzz', () => {
  it('mutated audit logs: verify, check and audit agree with the chain verifier, deterministically', async () => {
    const manifest = await readFile(join(repo.dir, MODEL), 'utf8');
    await fc.assert(
      fc.asyncProperty(mutated(original), async (text0) => {
        const text = asFileText(text0);
        await repo.git(['reset', '-q', '--hard', good]);
        await writeFile(join(repo.dir, LOG), text);
        tried++;
        const chain = await chainOf(text);
        const broken = chain.problems.length > 0;

        // audit verify: exit 1 on any chain problem; deterministic.
        const v1 = await cli(['audit', 'verify', '--format', 'json'], 'audit verify');
        const v2 = await cli(['audit', 'verify', '--format', 'json'], 'audit verify (again)');
        expect([0, 1], v1.stderr).toContain(v1.code);
        expect(v2.code).toBe(v1.code);
        expect(v2.stdout, 'deterministic verify').toBe(v1.stdout);
        if (broken) expect(v1.code, `${chain.problems.join('; ')}\n${v1.stdout}\n${v1.stderr}`).toBe(1);
        if (text === original) expect(v1.code, v1.stdout).toBe(0);

        // check of a change to the model: never judged on a broken or rewritten log.
        await writeFile(join(repo.dir, MODEL), manifest.replace(/(version: 1\n\s+run: runs\/v1\.json\n\s+stage: )Archived/, '$1Staging'));
        const appendsOnly = originalHashes.every((h, i) => chain.hashes[i] === h);
        const c = await cli(['check', '--format', 'json'], 'check with a mutated log');
        if (broken || !appendsOnly) {
          expect(c.code, `${chain.problems.join('; ')}\nstdout: ${c.stdout}\nstderr: ${c.stderr}\n${c.ms} ms`).toBe(2);
          expect(c.stderr).toMatch(/the audit chain of churn-predictor is broken/);
        } else expect([0, 1], c.stderr).toContain(c.code);

        // audit (history): a list, or an input error naming the line.
        const h = await cli(['audit', '--format', 'json'], 'audit history');
        expect([0, 2], h.stderr).toContain(h.code);
        if (h.code === 2) expect(h.stderr).toMatch(new RegExp(`${LOG}:\\d+`));
        else expect(Array.isArray(JSON.parse(h.stdout))).toBe(true);
      }),
      { numRuns: runs(12), endOnFailure: true },
    );
  }, fuzzTimeout(12));
});
