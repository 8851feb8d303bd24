/**
 * Fuzzing run metadata through the CLI bundle (fast-check): in each case a portable run record,
 * an MLflow metric file, the signature block of an MLmodel and a W&B summary are mutated at
 * once and committed (a registered version's evidence is read from base), the three Staging
 * versions reading them are proposed for Production in the working tree, and `check
 * --format json` judges all three in one process. The in-process reader (`readRun`, the same
 * code the CLI bundles) is the oracle:
 * - a run it cannot read is never allowed: that transition is denied, by a check that says it
 *   could not evaluate (fail closed), and the process never exits 0 because of it;
 * - a run it reads is judged on the values it read: the metric value the report shows is the
 *   value the reader computed (MLflow's latest-point rule), and `signature.required` passes
 *   exactly when the reader found a signature with inputs;
 * - exit codes are 0, 1 or 2, there is never a stack trace, and a fresh process gives the same
 *   exit code and byte-identical JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRepo } from '../helpers/git';
import { readPlainRun } from '../helpers/plainRun';
import { WorktreeState } from '../../src/repo/worktree';
import type { PlainRun } from '../../src/runs/types';
import { asFileText, fuzzTimeout, mutated, runs } from './fixtures/mutate';
import { STACK_TRACE, modelgateMeasured, resetRepo, summary } from './fixtures/harness';
import { makeHardeningRegistry, proposePromotion, TARGETS } from './fixtures/registry';

interface Check {
  id: string;
  status: string;
  message: string;
  actual?: unknown;
}
interface Judged {
  model: string;
  version: number;
  to: string | null;
  decision: string;
  checks: Check[];
}

let repo: TestRepo;
let originals: Record<'portableRun' | 'mlflowMetric' | 'mlmodel' | 'wandbSummary', string>;
let tried = 0;
let initial: string;

beforeAll(async () => {
  repo = await makeHardeningRegistry();
  initial = (await repo.git(['rev-parse', 'HEAD'])).trim();
  const read = (p: string) => readFile(join(repo.dir, p), 'utf8');
  originals = {
    portableRun: await read(TARGETS.portableRun),
    mlflowMetric: await read(TARGETS.mlflowMetric),
    mlmodel: await read(TARGETS.mlmodel),
    wandbSummary: await read(TARGETS.wandbSummary),
  };
});

afterAll(async () => {
  console.log(`${summary('fuzz: run metadata')}; ${tried} run files tried`);
  await repo?.cleanup();
});

/** The MLmodel with only its `signature:` block mutated (the rest is the original). */
function mlmodelWith(signatureBlock: string): string {
  const at = originals.mlmodel.indexOf('signature:');
  const end = originals.mlmodel.indexOf('\nutc_time_created');
  return originals.mlmodel.slice(0, at) + signatureBlock + originals.mlmodel.slice(end);
}

async function readInProcess(ref: string): Promise<{ ok: true; run: PlainRun } | { ok: false; why: string }> {
  try {
    return { ok: true, run: await readPlainRun(new WorktreeState(repo.dir), ref) };
  } catch (err) {
    return { ok: false, why: (err as Error).message };
  }
}

/** A JSON report value as the reader's number: toJson writes NaN and ±Infinity as names. */
function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return undefined;
}

function expectJudgedOnWhatWasRead(judged: Judged, read: Awaited<ReturnType<typeof readInProcess>>, label: string): void {
  if (!read.ok) {
    // Fail closed: unreadable → denied by a check that could not evaluate (or found no run).
    expect(judged.decision, `${label}: ${read.why}`).toBe('deny');
    const failed = judged.checks.filter((c) => c.status === 'fail');
    expect(
      failed.some((c) => c.message.startsWith('could not evaluate:') || c.id === 'run.exists'),
      `${label}: ${read.why}\n${JSON.stringify(failed)}`,
    ).toBe(true);
    return;
  }
  const sig = judged.checks.find((c) => c.id === 'signature.required');
  if (sig) {
    const s = read.run.signature;
    const found = s.state === 'found' && (s.signature.inputs?.length ?? 0) > 0;
    expect(sig.status === 'pass', `${label}: signature.required vs ${JSON.stringify(s).slice(0, 300)}`).toBe(found);
  }
  const min = judged.checks.find((c) => c.id === 'metric:val_auc.min');
  if (min && !min.message.startsWith('could not evaluate')) {
    expect(Object.is(asNumber(min.actual), read.run.metrics.val_auc), `${label}: val_auc ${String(min.actual)} vs ${read.run.metrics.val_auc}`).toBe(true);
  }
}

describe('fuzz', () => {
  it('mutated run records, metric files, MLmodel signatures and W&B summaries: fail closed, judged on what was read, deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          portableRun: mutated(originals.portableRun),
          mlflowMetric: mutated(originals.mlflowMetric),
          signature: fc.constant(null).chain(() => mutated(originals.mlmodel.slice(originals.mlmodel.indexOf('signature:'), originals.mlmodel.indexOf('\nutc_time_created')))),
          wandbSummary: mutated(originals.wandbSummary),
        }),
        async (m) => {
          await resetRepo(repo.dir, initial);
          await writeFile(join(repo.dir, TARGETS.portableRun), asFileText(m.portableRun));
          await writeFile(join(repo.dir, TARGETS.mlflowMetric), asFileText(m.mlflowMetric));
          await writeFile(join(repo.dir, TARGETS.mlmodel), asFileText(mlmodelWith(m.signature)));
          await writeFile(join(repo.dir, TARGETS.wandbSummary), asFileText(m.wandbSummary));
          tried += 4;
          await repo.commitAll('mutated run files');
          for (const t of ['portableRun', 'mlflowMetric', 'wandbSummary'] as const) await proposePromotion(repo, t);

          const expected = {
            'churn-predictor': await readInProcess('runs/v3.json'),
            'mlf-model': await readInProcess('mlruns/1/run2'),
            'wb-model': await readInProcess('wandb/run-20261102_101500-7hq2m4zt'),
          };

          const first = await modelgateMeasured(repo.dir, ['check', '--format', 'json'], 'check mutated runs');
          const second = await modelgateMeasured(repo.dir, ['check', '--format', 'json'], 'check mutated runs (again)');
          for (const r of [first, second]) {
            expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
            expect(r.stderr).not.toMatch(/internal error/);
          }
          expect(second.code).toBe(first.code);
          expect(second.stdout, 'deterministic report').toBe(first.stdout);
          // Run files are judged, never an input error of the change itself.
          expect([0, 1], first.stderr).toContain(first.code);
          const report = JSON.parse(first.stdout) as { decision: string; transitions: Judged[] };
          for (const [model, read] of Object.entries(expected)) {
            const judged = report.transitions.find((t) => t.model === model && t.to === 'Production');
            expect(judged, `${model} judged`).toBeDefined();
            expectJudgedOnWhatWasRead(judged!, read, model);
          }
          if (first.code === 0) expect(Object.values(expected).every((r) => r.ok)).toBe(true);
        },
      ),
      { numRuns: runs(15), endOnFailure: true },
    );
  }, fuzzTimeout(15));
});
