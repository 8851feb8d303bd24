/**
 * Faults (issue 4 crash test, issue 8 item 6): a decision killed (SIGKILL) at every point where
 * it writes, and re-run. After each kill:
 * - no half-written file: every manifest parses, every audit line is a JSON record;
 * - temp files of atomic writes are hidden `.tmp` names that `validate` and `audit verify`
 *   ignore, and the next write removes;
 * - the state is one of: nothing changed · the log has records the manifest does not show
 *   (`audit verify` exits 1 naming it; the next command exits 2 with the exact repair) · the
 *   decision is complete but uncommitted (`audit verify` passes; the next `--commit` exits 2
 *   with the exact repair) · committed;
 * - after the documented repair, re-running the command lands it and the chain verifies.
 * The write points are discovered (MODELGATE_TEST_CRASH_AFTER_WRITES=1, 2, … until a run
 * completes), plus the named points of MODELGATE_TEST_CRASH_AT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { modelgate } from '../helpers/cli';
import { clone, type TestRepo } from '../helpers/git';
import { makeRegistry, MANIFEST, runRecord } from '../helpers/registry';

const ACTOR = ['--actor', 'alice'];
const MODEL = 'churn-predictor';
const LOG = `audit/${MODEL}.jsonl`;
const MANIFEST_FILE = `registry/${MODEL}.yaml`;
// The crash points SIGKILL the process running the command; since the CLI runs it in a watched
// child (cli/supervise.ts), the CLI itself reports that as exit 3 (was: 128, runNode's code for
// a process ended by a signal), inside the 0/1/2/3 contract.
const KILLED = 3;
const HEAVY = process.env.MODELGATE_HEAVY_TESTS === '1';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

/** A throwaway copy of a template repository. */
async function copyOf(template: TestRepo): Promise<TestRepo> {
  const c = await clone(template.dir);
  cleanups.push(c.cleanup);
  return c;
}

const TEMP = /(^|\/)\.[^/]+\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Repo-relative temp files of atomic writes under registry/ and audit/. */
async function tempFiles(repo: TestRepo): Promise<string[]> {
  const out: string[] = [];
  for (const dir of ['registry', 'audit']) {
    const names = await readdir(join(repo.dir, dir)).catch(() => [] as string[]);
    out.push(...names.filter((n) => TEMP.test(n)).map((n) => `${dir}/${n}`));
  }
  return out;
}

/** Uncommitted paths, temp files aside. */
async function changedPaths(repo: TestRepo): Promise<string[]> {
  const out = await repo.git(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  return out
    .split('\0')
    .filter((e) => e.length > 3)
    .map((e) => e.slice(3))
    .filter((p) => !TEMP.test(p))
    .sort();
}

/** No half-written file: manifests are YAML mappings, every audit line a chained JSON record. */
async function assertWhole(repo: TestRepo): Promise<void> {
  for (const name of await readdir(join(repo.dir, 'registry'))) {
    if (!name.endsWith('.yaml')) continue;
    const doc = parseYaml(await readFile(join(repo.dir, 'registry', name), 'utf8')) as { versions?: unknown[] };
    expect(Array.isArray(doc.versions), `registry/${name} is whole`).toBe(true);
  }
  for (const name of await readdir(join(repo.dir, 'audit')).catch(() => [] as string[])) {
    if (!name.endsWith('.jsonl')) continue;
    const text = await readFile(join(repo.dir, 'audit', name), 'utf8');
    expect(text.endsWith('\n'), `audit/${name} ends with a whole line`).toBe(true);
    const seqs = text.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  }
}

type State = 'unchanged' | 'records-only' | 'uncommitted' | 'committed';

interface Scenario {
  /** A decision (promote, rollback: log then manifest) or `record` (logs only). */
  kind: 'decision' | 'record';
  /** The command under test (with --commit). */
  args: string[];
  /** Paths the command writes. */
  files: string[];
  /** What the landed command leaves, checked after the final re-run. */
  landed: (repo: TestRepo) => Promise<void>;
  /** States whose repair has been proven already. */
  recovered: Set<State>;
}

/**
 * Inspects a repository just after a kill, checks the state is one the tool explains, applies
 * the documented repair, re-runs the command and checks it lands. Returns the state found.
 */
async function inspectAndRecover(repo: TestRepo, base: string, s: Scenario): Promise<State> {
  await assertWhole(repo);
  const temps = await tempFiles(repo);
  const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
  const changed = await changedPaths(repo);
  let state: State;
  if (head !== base) {
    state = 'committed';
    expect(changed).toEqual([]);
  } else if (changed.length === 0) {
    state = 'unchanged';
  } else {
    // Only the command's own files may have changed.
    for (const p of changed) expect(s.files).toContain(p);
    const logs = changed.filter((p) => p.startsWith('audit/'));
    // A decision writes its log, then its manifest; record writes logs only, each complete.
    state = s.kind === 'decision' && changed.length === logs.length ? 'records-only' : 'uncommitted';
    if (s.kind === 'decision' && state === 'uncommitted') expect(changed.sort()).toEqual([...s.files].sort());
  }
  // `record` leaves merged transitions without records until every log is written.
  const verifies = s.kind === 'record' ? state === 'committed' || changed.length === s.files.length : state !== 'records-only';

  // Temp files never disturb the readers.
  if (temps.length) {
    const validate = await modelgate(repo.dir, ['validate']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
  }
  if (state !== 'unchanged' || temps.length) {
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.stdout + verify.stderr).not.toMatch(/\.tmp/);
    expect(verify.code, `${state}: ${verify.stdout}${verify.stderr}`).toBe(verifies ? 0 : 1);
  }

  if (state === 'records-only' || state === 'uncommitted') {
    const next = await modelgate(repo.dir, s.args);
    expect(next.code, next.stderr).toBe(2);
    // The exact repair: discard the uncommitted writes.
    const tracked = new Set((await repo.git(['ls-files'])).split('\n'));
    for (const p of changed) expect(next.stderr).toContain(tracked.has(p) ? `git checkout HEAD -- ` : `rm `);
    for (const p of changed) expect(next.stderr).toContain(p);
    if (state === 'records-only') expect(next.stderr).toMatch(/disagree/);
    else expect(next.stderr).toMatch(/not committed/);
    if (s.recovered.has(state) && temps.length === 0 && !HEAVY) return state;
    // The repair, as the message says.
    for (const p of changed) {
      if (tracked.has(p)) await repo.git(['checkout', 'HEAD', '--', p]);
      else await rm(join(repo.dir, p));
    }
    expect(await changedPaths(repo)).toEqual([]);
  }
  // The repair and re-run are proven once per state (and wherever a temp file must be swept);
  // MODELGATE_HEAVY_TESTS=1 proves them at every point.
  if (s.recovered.has(state) && temps.length === 0 && !HEAVY) return state;
  s.recovered.add(state);
  if (state !== 'committed') {
    const again = await modelgate(repo.dir, s.args);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  }
  // Landed, verified, and no temp file left by the kill survives the next write.
  await s.landed(repo);
  const final = await modelgate(repo.dir, ['audit', 'verify']);
  expect(final.code, final.stdout + final.stderr).toBe(0);
  expect(await changedPaths(repo)).toEqual([]);
  for (const t of temps) expect(await tempFiles(repo)).not.toContain(t);
  expect(await tempFiles(repo)).toEqual([]);
  return state;
}

async function killAt(template: TestRepo, s: Scenario, env: Record<string, string>): Promise<State | 'completed'> {
  const repo = await copyOf(template);
  const base = (await repo.git(['rev-parse', 'HEAD'])).trim();
  const run = await modelgate(repo.dir, s.args, env);
  if (run.code === 0 && env.MODELGATE_TEST_CRASH_AFTER_WRITES) {
    await s.landed(repo); // fewer writes than N: the run completed
    return 'completed';
  }
  expect(run.code, `${JSON.stringify(env)}: ${run.stderr}`).toBe(KILLED);
  expect(run.stdout).not.toMatch(/recorded:/); // nothing is reported as done
  return inspectAndRecover(repo, base, s);
}

/**
 * Every kill point of a command: after each landed write (MODELGATE_TEST_CRASH_AFTER_WRITES=1,
 * 2, … until a run completes: that discovers how many writes it makes), with each temp file
 * written but not renamed (`staged:N`), and the named points.
 */
async function everyKillPoint(template: TestRepo, s: Scenario, opts: { writesOnly?: boolean } = {}): Promise<Map<string, State>> {
  const states = new Map<string, State>();
  const named = opts.writesOnly ? [] : ['before-write', 'before-commit'];
  const namedRuns = Promise.all(named.map(async (label) => states.set(`MODELGATE_TEST_CRASH_AT=${label}`, (await killAt(template, s, { MODELGATE_TEST_CRASH_AT: label })) as State)));
  let writes = 0;
  for (let n = 1; n < 10; n++) {
    const found = await killAt(template, s, { MODELGATE_TEST_CRASH_AFTER_WRITES: String(n) });
    if (found === 'completed') break;
    states.set(`MODELGATE_TEST_CRASH_AFTER_WRITES=${n}`, found);
    writes = n;
  }
  expect(writes).toBeGreaterThanOrEqual(1);
  const staged = opts.writesOnly ? [] : Array.from({ length: writes }, (_, i) => `staged:${i + 1}`);
  await Promise.all(staged.map(async (label) => states.set(`MODELGATE_TEST_CRASH_AT=${label}`, (await killAt(template, s, { MODELGATE_TEST_CRASH_AT: label })) as State)));
  await namedRuns;
  return states;
}

async function auditRecords(repo: TestRepo, log = LOG): Promise<{ version: number; from: string | null; to: string; action: string; source?: { commit?: string } }[]> {
  return (await readFile(join(repo.dir, log), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe.concurrent('faults', () => {
  describe('SIGKILL at every write point', () => {
    let promoted: TestRepo; // v3 @challenger already decided: the log exists and is committed
    let inProduction: TestRepo; // v3 promoted to Production: a rollback has somewhere to go

    beforeAll(async () => {
      const base = await makeRegistry({ 'runs/v4.json': runRecord('run-v4', { val_auc: 0.889, latency_p99_ms: 7 }) });
      cleanups.push(base.cleanup);
      expect((await modelgate(base.dir, ['promote', MODEL, '3', '--to', '@challenger', '--reason', 'shadow', '--commit', ...ACTOR])).code).toBe(0);
      promoted = base;
      inProduction = await copyOf(base);
      expect((await modelgate(inProduction.dir, ['promote', MODEL, '3', '--to', 'Production', '--reason', 'ship', '--commit', ...ACTOR])).code).toBe(0);
    });

    it('promote --commit: every kill leaves a state the tool explains; the repair and a re-run land it', async () => {
      const s: Scenario = {
        kind: 'decision',
        recovered: new Set(),
        args: ['promote', MODEL, '3', '--to', 'Production', '--reason', 'beats champion', '--commit', ...ACTOR],
        files: [LOG, MANIFEST_FILE],
        landed: async (repo) => {
          const recs = await auditRecords(repo);
          // The decision recorded exactly once: promote v3 and the displaced v2 archived.
          expect(recs.filter((r) => r.version === 3 && r.to === 'Production')).toHaveLength(1);
          expect(recs.filter((r) => r.version === 2 && r.to === 'Archived')).toHaveLength(1);
          expect(await readFile(join(repo.dir, MANIFEST_FILE), 'utf8')).toMatch(/version: 3\n\s+run: runs\/v3.json\s+# retrained on March data\n\s+stage: Production/);
        },
      };
      const states = await everyKillPoint(promoted, s);
      expect(Object.fromEntries(states)).toEqual({
        'MODELGATE_TEST_CRASH_AT=before-write': 'unchanged',
        'MODELGATE_TEST_CRASH_AT=staged:1': 'unchanged',
        'MODELGATE_TEST_CRASH_AFTER_WRITES=1': 'records-only',
        'MODELGATE_TEST_CRASH_AT=staged:2': 'records-only',
        'MODELGATE_TEST_CRASH_AFTER_WRITES=2': 'uncommitted',
        'MODELGATE_TEST_CRASH_AT=before-commit': 'uncommitted',
      });
    }, 120_000);

    it('rollback --commit: the same at every kill point', async () => {
      const s: Scenario = {
        kind: 'decision',
        recovered: new Set(),
        args: ['rollback', MODEL, '--reason', 'p99 latency spike', '--commit', ...ACTOR],
        files: [LOG, MANIFEST_FILE],
        landed: async (repo) => {
          const recs = await auditRecords(repo);
          expect(recs.filter((r) => r.action === 'rollback' && r.version === 2 && r.to === 'Production')).toHaveLength(1);
          expect(await readFile(join(repo.dir, MANIFEST_FILE), 'utf8')).toMatch(/version: 2\n\s+run: runs\/v2.json\n\s+stage: Production/);
        },
      };
      // The same code path as promote (one apply for every decision): the write points suffice.
      const states = await everyKillPoint(inProduction, s, { writesOnly: true });
      expect(Object.fromEntries(states)).toEqual({
        'MODELGATE_TEST_CRASH_AFTER_WRITES=1': 'records-only',
        'MODELGATE_TEST_CRASH_AFTER_WRITES=2': 'uncommitted',
      });
    }, 120_000);
  });

  describe('record killed mid-way, then re-run', () => {
    const OTHER = 'churn-lite';
    let merged: TestRepo; // two models changed by a merged PR without records
    const scenarioFiles = [LOG, `audit/${OTHER}.jsonl`];

    beforeAll(async () => {
      const lite = MANIFEST.replace('name: churn-predictor', `name: ${OTHER}`);
      const base = await makeRegistry({ [`registry/${OTHER}.yaml`]: lite });
      cleanups.push(base.cleanup);
      // Both models adopt the audit trail through a decision of modelgate's …
      for (const m of [MODEL, OTHER]) {
        expect((await modelgate(base.dir, ['promote', m, '3', '--to', '@challenger', '--reason', 'shadow', '--commit', ...ACTOR])).code).toBe(0);
      }
      // … then a pull request is merged that moves a version of each, with no record.
      for (const m of [MODEL, OTHER]) {
        const file = join(base.dir, 'registry', `${m}.yaml`);
        const text = await readFile(file, 'utf8');
        await base.write(`registry/${m}.yaml`, text.replace(/(version: 1\n\s+run: runs\/v1.json\n\s+stage: )Archived/, '$1Staging'));
      }
      await base.commitAll('Merge pull request #7 from acme/revive-v1');
      expect((await modelgate(base.dir, ['audit', 'verify'])).code).toBe(1);
      merged = base;
    });

    const landed = async (repo: TestRepo) => {
      for (const log of scenarioFiles) {
        const recs = await auditRecords(repo, log);
        expect(recs.filter((r) => r.version === 1 && r.from === 'Archived' && r.to === 'Staging')).toHaveLength(1);
      }
    };

    it('record --commit: every kill point is explained; after the repair a re-run records each transition once', async () => {
      const s: Scenario = { kind: 'record', recovered: new Set(), args: ['record', '--commit', ...ACTOR], files: scenarioFiles, landed };
      const states = await everyKillPoint(merged, s);
      expect(Object.fromEntries(states)).toEqual({
        'MODELGATE_TEST_CRASH_AT=before-write': 'unchanged',
        'MODELGATE_TEST_CRASH_AT=staged:1': 'unchanged',
        'MODELGATE_TEST_CRASH_AFTER_WRITES=1': 'uncommitted',
        'MODELGATE_TEST_CRASH_AT=staged:2': 'uncommitted',
        'MODELGATE_TEST_CRASH_AFTER_WRITES=2': 'uncommitted',
        'MODELGATE_TEST_CRASH_AT=before-commit': 'uncommitted',
      });
    }, 120_000);

    it('record without --commit is idempotent after a kill: the re-run appends only what is missing', async () => {
      for (const n of ['1', '2']) {
        const repo = await copyOf(merged);
        const killed = await modelgate(repo.dir, ['record', ...ACTOR], { MODELGATE_TEST_CRASH_AFTER_WRITES: n });
        expect(killed.code).toBe(KILLED);
        await assertWhole(repo);
        const again = await modelgate(repo.dir, ['record', ...ACTOR]);
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout).toMatch(n === '1' ? /recorded 1 transition/ : /nothing to record/);
        await landed(repo);
        const verify = await modelgate(repo.dir, ['audit', 'verify']);
        expect(verify.code, verify.stdout).toBe(0);
      }
    }, 60_000);
  });
});
