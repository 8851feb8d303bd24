/**
 * Fuzzing manifests and policies through the CLI bundle (fast-check): valid documents, randomly
 * mutated, run through `validate` and `check --format json` as a user would. Properties:
 * - the exit code is 0, 1 or 2 and no stack trace is printed, whatever the input;
 * - `validate` exits 0 exactly when every file loads with the in-process loader, and names
 *   exactly the files that do not;
 * - `check` exits 2 exactly when a document it reads does not load (never 0 on unreadable input);
 * - determinism: the same inputs in a fresh process give the same exit code and byte-identical
 *   JSON.
 * Each run plants several mutated manifests at once (one process judges them all), so the
 * number of documents tried is a multiple of the number of processes started.
 * MODELGATE_FUZZ_RUNS=<n> runs more cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRepo } from '../helpers/git';
import { makeRegistry, MANIFEST, POLICY } from '../helpers/registry';
import { loadManifest } from '../../src/manifest/load';
import { loadPolicies } from '../../src/policy/load';
import { InputError, InputErrors } from '../../src/errors';
import { asFileText, fuzzTimeout, mutated, runs } from './fixtures/mutate';
import { STACK_TRACE, modelgateMeasured, resetRepo, summary } from './fixtures/harness';
import { proposePromotion } from './fixtures/registry';

const MODELS = ['churn-1', 'churn-2', 'churn-3', 'churn-4'];
const manifestOf = (name: string) => MANIFEST.replace('name: churn-predictor', `name: ${name}`);

let repo: TestRepo;
let tried = 0;

beforeAll(async () => {
  repo = await makeRegistry(Object.fromEntries(MODELS.map((m) => [`registry/${m}.yaml`, manifestOf(m)])));
});

afterAll(async () => {
  console.log(`${summary('fuzz: manifests and policies')}; ${tried} documents tried`);
  await repo?.cleanup();
});

/** The files whose text the in-process loader refuses (`undefined`: loads). */
function refusedFiles(load: () => void): Set<string> {
  try {
    load();
    return new Set();
  } catch (err) {
    if (err instanceof InputErrors) return new Set(err.errors.map((e) => e.location?.file ?? '?'));
    if (err instanceof InputError) return new Set([err.location?.file ?? '?']);
    throw err; // a crash of the loader itself is a bug the property reports
  }
}

async function runMeasured(args: string[], label: string) {
  const r = await modelgateMeasured(repo.dir, args, label);
  expect([0, 1, 2], `${label}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  expect(r.stdout + r.stderr, label).not.toMatch(STACK_TRACE);
  expect(r.stderr, label).not.toMatch(/internal error/);
  return r;
}

/** `check --format json` twice, in two fresh processes: same code, same bytes. */
async function checkTwice(label: string) {
  const first = await runMeasured(['check', '--format', 'json'], label);
  const second = await runMeasured(['check', '--format', 'json'], `${label} (again)`);
  expect(second.code, label).toBe(first.code);
  expect(second.stdout, `${label}: deterministic report`).toBe(first.stdout);
  if (first.code !== 2) expect(() => JSON.parse(first.stdout) as unknown).not.toThrow();
  return first;
}

describe('fuzz', () => {
  it('mutated manifests: validate and check agree with the loader, deterministically', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(...MODELS.map((m) => mutated(manifestOf(m)))), async (texts) => {
        await resetRepo(repo.dir);
        const files = MODELS.map((m) => `registry/${m}.yaml`);
        const written = texts.map(asFileText);
        for (const [i, text] of written.entries()) await writeFile(join(repo.dir, files[i]!), text);
        tried += written.length;

        // validate: exit 0 exactly when every manifest loads; the refused files are named.
        const refused = new Set<string>();
        for (const [i, text] of written.entries()) for (const f of refusedFiles(() => loadManifest(text, files[i]!, { singleProduction: true }))) refused.add(f);
        const v = await runMeasured(['validate', '--format', 'json'], 'validate mutated manifests');
        const report = JSON.parse(v.stdout) as { valid: boolean; errors: { file: string; message: string }[] };
        expect(v.code, v.stdout).toBe(refused.size === 0 ? 0 : 2);
        expect(new Set(report.errors.map((e) => e.file))).toEqual(refused);

        // check: a changed manifest that does not load is an input error; otherwise a verdict.
        const unloadable = written.some((text, i) => text !== manifestOf(MODELS[i]!) && refusedFiles(() => loadManifest(text, files[i]!, { singleProduction: false })).size > 0);
        const c = await checkTwice('check mutated manifests');
        if (unloadable) expect(c.code, c.stdout + c.stderr).toBe(2);
        else expect([0, 1], c.stderr).toContain(c.code);
      }),
      { numRuns: runs(12), endOnFailure: true },
    );
  }, fuzzTimeout(12));

  it('mutated policies: validate and check agree with the loader, deterministically', async () => {
    const start = (await repo.git(['rev-parse', 'HEAD'])).trim();
    try {
      await fc.assert(
        fc.asyncProperty(mutated(POLICY), async (text0) => {
          const text = asFileText(text0);
          await repo.git(['reset', '-q', '--hard', start]);
          await resetRepo(repo.dir);
          await writeFile(join(repo.dir, 'policies/churn.yaml'), text);
          tried++;
          const refused = refusedFiles(() => loadPolicies([{ path: 'policies/churn.yaml', text }]));

          const v = await runMeasured(['validate', '--format', 'json'], 'validate mutated policy');
          expect(v.code, v.stdout).toBe(refused.size === 0 ? 0 : 2);

          // Policies are read from the base commit: commit it, then propose a promotion.
          await repo.commitAll('mutated policy');
          await proposePromotion(repo, 'manifest');
          const c = await checkTwice('check under a mutated policy');
          if (refused.size > 0) {
            expect(c.code, c.stdout + c.stderr).toBe(2);
            expect(c.stderr).toContain('policies/churn.yaml');
          } else expect([0, 1], c.stderr).toContain(c.code);
        }),
        { numRuns: runs(12), endOnFailure: true },
      );
    } finally {
      await repo.git(['reset', '-q', '--hard', start]);
    }
  }, fuzzTimeout(12));
});
