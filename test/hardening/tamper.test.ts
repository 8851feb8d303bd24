/**
 * Tampering with the audit trail of a real repository after a few decisions made with
 * `promote --commit` and `rollback --commit`: records edited, deleted, reordered, duplicated,
 * truncated; the last record deleted and committed; a manifest stage changed by hand and
 * committed without a record; history rewritten (what a force-push leaves: records naming
 * commits that no longer exist).
 *
 * `audit verify` exits 1 and names the model, the record (seq and line) or the commit, and
 * what is wrong. `check` and `promote` refuse to build on a broken chain: exit 2, saying the
 * chain is broken and to run `audit verify`, and write nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRepo } from '../helpers/git';
import { makeRegistry } from '../helpers/registry';
import { expectBounded, modelgateMeasured, summary, worktreeSnapshot } from './fixtures/harness';

const LOG = 'audit/churn-predictor.jsonl';
const MODEL = 'registry/churn-predictor.yaml';
const ACTOR = ['--actor', 'alice'];
/** A decision refused because the log's replay and the manifest disagree. */
const DISAGREE = /churn-predictor: .*\(audit\/churn-predictor\.jsonl and registry\/churn-predictor\.yaml disagree\)/;

let repo: TestRepo;
/** The commit after three decisions: five records, chain intact. */
let good: string;

async function mg(args: string[], label = args.join(' ')) {
  const r = await modelgateMeasured(repo.dir, args, label);
  expectBounded(r, label);
  return r;
}

beforeAll(async () => {
  repo = await makeRegistry();
  for (const args of [
    ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'beats the champion'],
    ['promote', 'churn-predictor', '3', '--to', '@challenger', '--reason', 'shadow traffic'],
    ['rollback', 'churn-predictor', '--reason', 'p99 latency spike'],
  ]) {
    const r = await mg([...args, ...ACTOR, '--commit']);
    expect(r.code, r.stderr).toBe(0);
  }
  good = (await repo.git(['rev-parse', 'HEAD'])).trim();
  expect(await lines()).toHaveLength(5);
  const v = await mg(['audit', 'verify']);
  expect(v.code, v.stdout).toBe(0);
});

afterAll(async () => {
  console.log(summary('tampering'));
  await repo?.cleanup();
});

beforeEach(async () => {
  await repo.git(['reset', '-q', '--hard', good]);
  await repo.git(['clean', '-qfdx']);
});

async function lines(): Promise<string[]> {
  return (await readFile(join(repo.dir, LOG), 'utf8')).split('\n').filter(Boolean);
}

async function writeLines(ls: string[], trailingNewline = true): Promise<void> {
  await writeFile(join(repo.dir, LOG), ls.join('\n') + (trailingNewline ? '\n' : ''));
}

/** `audit verify` exits 1 and its report names every expected problem. */
async function expectVerifyNames(...problems: RegExp[]): Promise<string> {
  const r = await mg(['audit', 'verify']);
  expect(r.code, r.stdout + r.stderr).toBe(1);
  for (const p of problems) expect(r.stdout).toMatch(p);
  const json = await mg(['audit', 'verify', '--format', 'json']);
  expect(json.code).toBe(1);
  const parsed = JSON.parse(json.stdout) as { ok: boolean; problems: { model: string }[] };
  expect(parsed.ok).toBe(false);
  expect(parsed.problems.every((p) => p.model === 'churn-predictor')).toBe(true);
  return r.stdout;
}

/** `check` (on a proposed change of the model) and a decision (`archive`, through the same path as `promote`) refuse: exit 2, nothing written. */
async function expectRefusals(opts: { check?: RegExp | false; promote: RegExp }): Promise<void> {
  if (opts.check !== false) {
    // A pull request that also moves a version of the model.
    const text = await readFile(join(repo.dir, MODEL), 'utf8');
    await writeFile(join(repo.dir, MODEL), text.replace(/(version: 1\n\s+run: runs\/v1\.json\n\s+stage: )Archived/, '$1Staging'));
    const before = await worktreeSnapshot(repo.dir);
    const c = await mg(['check', '--format', 'json'], 'check on a broken chain');
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toMatch(/the audit chain of churn-predictor is broken/);
    expect(c.stderr).toContain('modelgate audit verify');
    if (opts.check) expect(c.stderr).toMatch(opts.check);
    expect(await worktreeSnapshot(repo.dir)).toBe(before);
    await writeFile(join(repo.dir, MODEL), text);
  }
  const before = await worktreeSnapshot(repo.dir);
  const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
  const p = await mg(['archive', 'churn-predictor', '2', '--reason', 'retire', ...ACTOR, '--commit'], 'archive on a broken chain');
  expect(p.code, p.stdout + p.stderr).toBe(2);
  expect(p.stderr).toMatch(opts.promote);
  expect(p.stderr).toContain('audit verify');
  expect(await worktreeSnapshot(repo.dir)).toBe(before);
  expect((await repo.git(['rev-parse', 'HEAD'])).trim()).toBe(head);
}

describe('records tampered with in the working tree', () => {
  it('an edited record (actor changed): verify names seq and line; check and promote refuse', async () => {
    const ls = await lines();
    ls[1] = ls[1]!.replace('"actor":"alice"', '"actor":"mallory"');
    await writeLines(ls);
    await expectVerifyNames(/churn-predictor record 2 \(line 2\): record 2 was edited: its hash does not match its content/);
    await expectRefusals({ check: /record 2 was edited/, promote: /audit log of churn-predictor is broken: record 2 was edited/ });
  });

  it('an edited record whose hash was recomputed: the next record no longer follows it', async () => {
    const ls = await lines();
    const rec = JSON.parse(ls[1]!) as Record<string, unknown>;
    rec.actor = 'mallory';
    // The forger re-seals record 2 with the spec's rule; record 3 still names the old hash.
    const { createHash } = await import('node:crypto');
    const canonical = (v: unknown): string =>
      v === null || typeof v !== 'object'
        ? JSON.stringify(v)
        : Array.isArray(v)
          ? `[${v.map(canonical).join(',')}]`
          : `{${Object.keys(v as object)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
              .join(',')}}`;
    const { hash: _h, ...body } = rec;
    rec.hash = 'sha256:' + createHash('sha256').update(canonical(body)).digest('hex');
    ls[1] = canonical(rec);
    await writeLines(ls);
    await expectVerifyNames(/record 3 \(line 3\): record 3 does not follow record 2/);
    await expectRefusals({ check: /record 3 does not follow record 2/, promote: /record 3 does not follow record 2/ });
  });

  it('a deleted middle record: verify says which seq is missing', async () => {
    const ls = await lines();
    ls.splice(2, 1);
    await writeLines(ls);
    await expectVerifyNames(/record seq 4 follows seq 2: record 3 is missing \(deleted\?\)/);
    await expectRefusals({ check: /record 3 is missing/, promote: /record 3 is missing/ });
  });

  it('two records reordered: verify says out of order', async () => {
    const ls = await lines();
    [ls[1], ls[2]] = [ls[2]!, ls[1]!];
    await writeLines(ls);
    await expectVerifyNames(/out of order/);
    await expectRefusals({ promote: /is broken/ });
  });

  it('a duplicated record: verify says the seq appears twice', async () => {
    const ls = await lines();
    ls.splice(2, 0, ls[1]!);
    await writeLines(ls);
    await expectVerifyNames(/record 2 \(line 3\): seq 2 appears twice \(duplicated\?\)/);
    await expectRefusals({ check: /seq 2 appears twice/, promote: /seq 2 appears twice/ });
  });

  it('the last line truncated mid-JSON: verify names the line', async () => {
    const ls = await lines();
    ls[4] = ls[4]!.slice(0, Math.floor(ls[4]!.length / 2));
    await writeLines(ls, false);
    await expectVerifyNames(/line 5: not valid JSON \(truncated\?\)/);
    await expectRefusals({ check: /line 5: not valid JSON/, promote: /line 5: not valid JSON/ });
  });

  it('the last record deleted (a valid, shorter chain): a change may only append, so check refuses; promote sees replay ≠ manifest', async () => {
    const ls = await lines();
    await writeLines(ls.slice(0, 4));
    await expectVerifyNames(/v3 is Archived in the manifest but Production in its audit log|v3/);
    await expectRefusals({ check: /rewrites records that are already in audit\/churn-predictor\.jsonl/, promote: DISAGREE });
  });

  it('the whole log deleted: check refuses', async () => {
    await import('node:fs/promises').then((fs) => fs.rm(join(repo.dir, LOG)));
    const c = await mg(['check', '--format', 'json'], 'check after deleting the log');
    expect(c.code, c.stderr).toBe(2);
    expect(c.stderr).toMatch(/the audit chain of churn-predictor is broken: the change deletes audit\/churn-predictor\.jsonl, which holds 5 records/);
  });

  it('the whole log deleted: a decision refuses instead of starting a new chain', async () => {
    await import('node:fs/promises').then((fs) => fs.rm(join(repo.dir, LOG)));
    const p = await mg(['archive', 'churn-predictor', '2', '--reason', 'retire', ...ACTOR, '--commit'], 'archive after deleting the log');
    expect(p.code, p.stderr).toBe(2);
    expect(await worktreeSnapshot(repo.dir)).toBe(' D audit/churn-predictor.jsonl\n');
  });
});

describe('tampering that was committed', () => {
  it('an edited record committed: verify also names the commit that rewrote the log; check of a branch refuses', async () => {
    const ls = await lines();
    ls[0] = ls[0]!.replace('"reason":"beats the champion"', '"reason":"approved by the board"');
    await writeLines(ls);
    const tampered = await repo.commitAll('fix typo');
    const out = await expectVerifyNames(/record 1 \(line 1\): record 1 was edited/, new RegExp(`commit ${tampered.slice(0, 12)} rewrote ${LOG} instead of appending to it`));
    expect(out).toContain(tampered.slice(0, 12));
    // A pull request built on the tampered commit, judged against the last good state.
    const text = await readFile(join(repo.dir, MODEL), 'utf8');
    await writeFile(join(repo.dir, MODEL), text.replace(/(version: 1\n\s+run: runs\/v1\.json\n\s+stage: )Archived/, '$1Staging'));
    await repo.commitAll('stage v1');
    const c = await mg(['check', '--base', good, '--head', 'HEAD', '--format', 'json'], 'check a tampered branch');
    expect(c.code, c.stderr).toBe(2);
    expect(c.stderr).toMatch(/the audit chain of churn-predictor is broken: record 1 was edited/);
  });

  it('the last record deleted and committed: verify names the commit (append-only); promote refuses (replay ≠ manifest)', async () => {
    const ls = await lines();
    await writeLines(ls.slice(0, 4));
    const cut = await repo.commitAll('tidy audit log');
    await expectVerifyNames(new RegExp(`commit ${cut.slice(0, 12)} rewrote ${LOG} instead of appending to it`));
    // The chain itself is intact, so `check` has nothing to refuse; promote compares replay and manifest.
    await expectRefusals({ check: false, promote: DISAGREE });
  });

  it('a stage changed by hand and committed without a record: verify names the commit; a decision refuses', async () => {
    const text = await readFile(join(repo.dir, MODEL), 'utf8');
    // v3 was archived by the rollback (its last record); someone puts it back in Staging by hand.
    await writeFile(join(repo.dir, MODEL), text.replace(/(version: 3\n\s+run: runs\/v3\.json.*\n\s+stage: )Archived/, '$1Staging'));
    const edit = await repo.commitAll('quick fix');
    await expectVerifyNames(
      new RegExp(`commit ${edit.slice(0, 12)} moved v3 Archived -> Staging without an audit record`),
      /v3 is Staging in the manifest but Archived in the audit log|v3/,
    );
    await expectRefusals({ check: false, promote: DISAGREE });
  });

  it('a version without records of its own changed by hand: verify names the commit (coverage)', async () => {
    const text = await readFile(join(repo.dir, MODEL), 'utf8');
    await writeFile(join(repo.dir, MODEL), text.replace(/(version: 1\n\s+run: runs\/v1\.json\n\s+stage: )Archived/, '$1Staging'));
    const edit = await repo.commitAll('quick fix');
    await expectVerifyNames(new RegExp(`commit ${edit.slice(0, 12)} moved v1 Archived -> Staging without an audit record`));
  });
});

describe('a branch that is merely behind its base', () => {
  it('is not mistaken for one that deletes records: its log is compared with where it started', async () => {
    // A pull request branched before the rollback; main has gained two records since.
    await repo.git(['checkout', '-q', '-b', 'behind', `${good}~1`]);
    try {
      const text = await readFile(join(repo.dir, MODEL), 'utf8');
      await writeFile(join(repo.dir, MODEL), text.replace(/(version: 1\n\s+run: runs\/v1\.json\n\s+stage: )Archived/, '$1Staging'));
      await repo.commitAll('stage v1 on an old branch');
      const c = await mg(['check', '--base', good, '--head', 'HEAD', '--format', 'json'], 'check a branch behind its base');
      expect(c.stderr).not.toMatch(/audit chain/);
      expect([0, 1], c.stderr).toContain(c.code);
      // The same branch deleting a record it started with is refused.
      const ls = await lines();
      await writeLines(ls.slice(0, ls.length - 1));
      await repo.commitAll('drop a record');
      const d = await mg(['check', '--base', good, '--head', 'HEAD', '--format', 'json'], 'check a branch that drops a record');
      expect(d.code).toBe(2);
      expect(d.stderr).toMatch(/the change rewrites records that are already in audit\/churn-predictor\.jsonl/);
    } finally {
      await repo.git(['checkout', '-q', '-f', 'main']);
      await repo.git(['branch', '-q', '-D', 'behind']);
    }
  });
});

describe('history rewritten (force-push)', () => {
  it('records naming commits that are gone: verify names each commit', async () => {
    // A merge that moved a stage, then `record` wrote its record (source.commit = the merge).
    await repo.write(MODEL, (await readFile(join(repo.dir, MODEL), 'utf8')).replace(/(version: 1\n\s+run: runs\/v1\.json\n\s+stage: )Archived/, '$1Staging'));
    const merge = await repo.commitAll('Merge pull request #7: stage v1');
    const rec = await mg(['record', '--since', good, ...ACTOR, '--commit']);
    expect(rec.code, rec.stderr).toBe(0);
    expect((await lines()).at(-1)).toContain(`"commit":"${merge}"`);
    expect((await mg(['audit', 'verify'])).code).toBe(0);

    // Rewrite: back to before the merge, then the same files in new commits (what a force-push
    // of a rebased branch leaves behind). The log still names the old merge commit.
    const log = await readFile(join(repo.dir, LOG), 'utf8');
    const manifest = await readFile(join(repo.dir, MODEL), 'utf8');
    await repo.git(['reset', '-q', '--hard', good]);
    await writeFile(join(repo.dir, MODEL), manifest);
    const rewritten = await repo.commitAll('stage v1 (rebased)');
    await writeFile(join(repo.dir, LOG), log);
    await repo.commitAll('audit: record (rebased)');
    await repo.git(['reflog', 'expire', '--expire=now', '--all']);
    await repo.git(['gc', '-q', '--prune=now']);

    await expectVerifyNames(
      new RegExp(`a record names commit ${merge.slice(0, 12)}, which is not in the history of HEAD \\(history rewritten\\?\\)`),
      new RegExp(`commit ${rewritten.slice(0, 12)} moved v1 Archived -> Staging without an audit record`),
    );
  });
});

describe('a sound log stays sound', () => {
  it('the decision every refusal above blocked succeeds on the untouched log, and still verifies (control)', async () => {
    const r = await mg(['archive', 'churn-predictor', '2', '--reason', 'retire', ...ACTOR, '--commit']);
    expect(r.code, r.stderr).toBe(0);
    expect(await lines()).toHaveLength(6);
    expect((await mg(['audit', 'verify'])).code).toBe(0);
  });
});
