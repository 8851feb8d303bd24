/**
 * `npm run bench` at tiny sizes (`--quick`): the generator builds its fixtures and every figure
 * runs and prints its numbers in the one JSON object, each with its floor, ratio and target.
 * Targets are not asserted here (timings at this size mean little; the machine is shared), but
 * what holds at any size is: the check of the PR allows all 15 transitions, it reads the same
 * things in the smallest and largest registry and nothing outside the change, validate and
 * audit verify succeed on the generated repository.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runNode } from '../helpers/cli';

const PROJECT = resolve(__dirname, '../..');
const DIST = process.env.MODELGATE_DIST_DIR ? resolve(process.env.MODELGATE_DIST_DIR) : join(PROJECT, 'dist');

// Shape of the printed figures, as far as these tests read them.
interface Figure {
  ok?: boolean;
  error?: string;
  target?: number | null;
  ratio?: number;
  [key: string]: unknown;
}

describe('npm run bench --quick', () => {
  let work: string;
  let result: Record<string, Figure>;
  let stderr = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'mg-bench-smoke-'));
    const r = await runNode(join(PROJECT, 'bench', 'run.mjs'), ['--quick', '--dist', DIST, '--work', work], { cwd: PROJECT, timeoutMs: 170_000 });
    stderr = r.stderr;
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    result = JSON.parse(r.stdout) as Record<string, Figure>;
  }, 180_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('prints one JSON object: the machine, then every figure without an error', () => {
    expect(result.machine).toMatchObject({ quick: true, sizes: [5, 6, 8] });
    for (const name of ['check_small_pr', 'validate_all', 'metric_history', 'audit_verify', 'git_reads', 'cold_start', 's3_hash']) {
      const f = result[name]!;
      expect(f.error, `${name}: ${String(f.error)}\n${stderr.slice(-1500)}`).toBeUndefined();
      expect(typeof f.ok, name).toBe('boolean');
      expect(f.ratio, name).toBeGreaterThan(0);
      expect('target' in f, name).toBe(true);
    }
    expect(result.summary).toBeDefined();
  });

  it('check_small_pr: every size allows the 15 transitions and reads the same files, all of them part of the change', () => {
    const f = result.check_small_pr!;
    expect(f.problems).toBeUndefined();
    expect(Object.keys(f.ms as object).sort()).toEqual(['5', '6', '8']);
    const files = f.files_read as {
      equal: boolean;
      only_changed: boolean;
      skipped?: string;
      '8': { files_opened: number; git_objects_read: number; by_kind: Record<string, number> };
    };
    if (files.skipped) return; // no strace on this machine
    expect(files.equal).toBe(true);
    expect(files.only_changed).toBe(true);
    // The Action judges the head commit, so everything comes out of git, nothing from the worktree.
    expect(files['8'].files_opened).toBe(0);
    expect(files['8'].git_objects_read).toBeGreaterThan(0);
    expect(files['8'].by_kind.manifest).toBe(5);
    expect(files['8'].by_kind.run).toBeGreaterThan(0);
  });

  it('validate, audit verify and the metric reader succeed on the generated data', () => {
    expect(result.validate_all!.problems).toBeUndefined();
    expect(result.validate_all!.models).toBe(8);
    expect(result.audit_verify!.problems).toBeUndefined();
    expect(result.audit_verify!.records).toBe(8 * 30);
    expect(result.metric_history!.value).toBeTypeOf('number');
    expect(result.git_reads!.manifests).toBe(8);
  });
});
