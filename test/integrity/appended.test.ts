/**
 * `audit.appended` (SPEC section 4) and record times in soak (SPEC section 7), end to end through
 * the CLI on real git repositories. The attacker writes well-chained records by hand (the hash
 * rule is public): a chain check alone accepts them; the gate must not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { POLICY } from '../helpers/registry';
import { makeRegistry } from '../helpers/registry';
import type { TestRepo } from '../helpers/git';
import { resettableRepo } from './fixture';
import { sealRecord } from '../../src/audit/chain';
import { canonicalJson } from '../../src/audit/canonical';
import type { AuditRecord } from '../../src/audit/types';

interface Report {
  decision: string;
  transitions: { version: number; to: string | null; decision: string; checks: { id: string; status: string; message: string }[] }[];
  checks?: { id: string; status: string; message: string }[];
}

const LOG = 'audit/churn-predictor.jsonl';
const MANIFEST_FILE = 'registry/churn-predictor.yaml';
const DAY = 24 * 3600 * 1000;

const fixture = resettableRepo(makeRegistry);
let repo: TestRepo;
let start: string;
beforeAll(() => {
  ({ repo, start } = fixture);
});

async function promoteV3InManifest(): Promise<void> {
  const path = join(repo.dir, MANIFEST_FILE);
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production'));
}

async function lastRecord(): Promise<AuditRecord | undefined> {
  const text = await readFile(join(repo.dir, LOG), 'utf8').catch(() => '');
  const lines = text.split('\n').filter(Boolean);
  return lines.length ? (JSON.parse(lines[lines.length - 1]!) as AuditRecord) : undefined;
}

/** Appends a well-chained record, as anyone can compute it. */
async function forge(fields: Partial<AuditRecord> & Pick<AuditRecord, 'action' | 'version' | 'from' | 'to'>): Promise<void> {
  const last = await lastRecord();
  const rec = sealRecord(
    { time: new Date().toISOString(), actor: 'mallory', model: 'churn-predictor', checks: [], ...fields },
    last ? { seq: last.seq, hash: last.hash } : undefined,
  );
  await mkdir(join(repo.dir, 'audit'), { recursive: true });
  await appendFile(join(repo.dir, LOG), canonicalJson(rec) + '\n');
}

const allChecks = (r: Report) => [...(r.checks ?? []), ...r.transitions.flatMap((t) => t.checks)];

/** Judged twice: the change in the working tree, then committed (`--head HEAD`). */
async function judgeBoth(change: () => Promise<void>): Promise<{ code: number; report: Report }[]> {
  const out: { code: number; report: Report }[] = [];
  for (const mode of ['working tree', 'committed'] as const) {
    await repo.git(['reset', '-q', '--hard', start]);
    await repo.git(['clean', '-qfdx']);
    await change();
    if (mode === 'committed') await repo.commitAll('the change');
    const r = await modelgate(repo.dir, mode === 'committed' ? ['check', '--base', start, '--head', 'HEAD', '--format', 'json'] : ['check', '--format', 'json']);
    expect(r.stdout, r.stderr).not.toBe('');
    out.push({ code: r.code, report: JSON.parse(r.stdout) as Report });
  }
  return out;
}

async function expectAppendedDenied(change: () => Promise<void>, why: RegExp): Promise<void> {
  for (const { code, report } of await judgeBoth(change)) {
    expect(code).toBe(1);
    expect(report.decision).toBe('deny');
    const failed = allChecks(report).filter((c) => c.id === 'audit.appended' && c.status === 'fail');
    expect(failed.length, JSON.stringify(report).slice(0, 1500)).toBeGreaterThan(0);
    expect(failed[0]!.message).toMatch(why);
  }
}

describe('the legitimate flow: records made by modelgate for this change', () => {
  it('`promote --commit` locally, then the PR: allowed, audit.appended passes', async () => {
    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'beats v2', '--actor', 'alice', '--commit']);
    expect(r.code, r.stderr).toBe(0);
    const check = await modelgate(repo.dir, ['check', '--base', start, '--head', 'HEAD', '--format', 'json']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const report = JSON.parse(check.stdout) as Report;
    expect(allChecks(report).filter((c) => c.id === 'audit.appended').map((c) => c.status)).toContain('pass');
    expect(allChecks(report).some((c) => c.id === 'audit.appended' && c.status === 'fail')).toBe(false);
  });

  it('records for a change that is only in the working tree (promote without --commit): allowed', async () => {
    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'beats v2', '--actor', 'alice']);
    expect(r.code, r.stderr).toBe(0);
    const check = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });
});

describe('forged records', () => {
  it('a record for a transition the change does not make (a fake Production history) → denied', async () => {
    await expectAppendedDenied(async () => {
      await promoteV3InManifest();
      await forge({ action: 'promote', version: 3, from: 'Staging', to: 'Production', displaced: 2 });
      await forge({ action: 'archive', version: 2, from: 'Production', to: 'Archived' });
      await forge({ action: 'rollback', version: 1, from: 'Archived', to: 'Production' });
    }, /record 3 \(rollback v1 Archived -> Production\) matches no transition/);
  });

  it('a backdated record for the change’s own transition (to satisfy soak) → denied', async () => {
    await expectAppendedDenied(async () => {
      await promoteV3InManifest();
      await forge({ action: 'promote', version: 3, from: 'Staging', to: 'Production', time: new Date(Date.now() - 30 * DAY).toISOString() });
      await forge({ action: 'archive', version: 2, from: 'Production', to: 'Archived' });
    }, /is dated .* before the commit this change starts from/);
  });

  it('a record dated in the future → denied', async () => {
    await expectAppendedDenied(async () => {
      await promoteV3InManifest();
      await forge({ action: 'promote', version: 3, from: 'Staging', to: 'Production', time: new Date(Date.now() + 30 * DAY).toISOString() });
      await forge({ action: 'archive', version: 2, from: 'Production', to: 'Archived' });
    }, /in the future/);
  });

  it('records appended by a change with no transition at all → denied', async () => {
    await expectAppendedDenied(async () => {
      await forge({ action: 'promote', version: 3, from: 'Staging', to: 'Production' });
    }, /matches no transition/);
  });

  it('a record with the wrong action for its transition → denied', async () => {
    await expectAppendedDenied(async () => {
      await promoteV3InManifest();
      await forge({ action: 'rollback', version: 2, from: 'Production', to: 'Archived' });
    }, /matches no transition/);
  });

  it('the same transition recorded twice → denied', async () => {
    await expectAppendedDenied(async () => {
      await promoteV3InManifest();
      await forge({ action: 'promote', version: 3, from: 'Staging', to: 'Production' });
      await forge({ action: 'promote', version: 3, from: 'Staging', to: 'Production' });
    }, /record 2 .* matches no transition/);
  });
});

describe('soak time counts a record from the commit that brought it', () => {
  const SOAK = POLICY.replace('  Production:\n    from: [Staging]\n', '  Production:\n    from: [Staging]\n    minTimeInStage: 72h\n');

  it('a record dated 10 days ago but merged today: v3 has soaked for minutes, not days → denied', async () => {
    const { repo: r } = await soakRepoWithCommitterDate(0);
    try {
      const path = join(r.dir, MANIFEST_FILE);
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production'));
      const c = await modelgate(r.dir, ['check', '--format', 'json']);
      expect(c.code, c.stderr).toBe(1);
      const soak = allChecks(JSON.parse(c.stdout) as Report).find((x) => x.id === 'soak.minTimeInStage')!;
      expect(soak.status).toBe('fail');
    } finally {
      await r.cleanup();
    }
  });

  it('the same record committed 5 days ago: soaked → allowed', async () => {
    const { repo: r } = await soakRepoWithCommitterDate(5);
    try {
      const path = join(r.dir, MANIFEST_FILE);
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace('stage: Production     # current champion', 'stage: Archived').replace('stage: Staging', 'stage: Production'));
      const c = await modelgate(r.dir, ['check', '--format', 'json']);
      const soak = allChecks(JSON.parse(c.stdout) as Report).find((x) => x.id === 'soak.minTimeInStage')!;
      expect(soak.status, soak.message).toBe('pass');
      expect(c.code, c.stdout).toBe(0);
    } finally {
      await r.cleanup();
    }
  });

  async function soakRepoWithCommitterDate(daysAgo: number): Promise<{ repo: TestRepo }> {
    const r = await makeRegistry({ 'policies/churn.yaml': SOAK });
    const rec = sealRecord({ time: new Date(Date.now() - 10 * DAY).toISOString(), actor: 'alice', action: 'promote', model: 'churn-predictor', version: 3, from: 'None', to: 'Staging', checks: [] });
    await r.write(LOG, canonicalJson(rec) + '\n');
    await r.git(['add', '-A']);
    const when = new Date(Date.now() - daysAgo * DAY).toISOString();
    const { execFile } = await import('node:child_process');
    await new Promise<void>((res, rej) =>
      execFile('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'audit: adopt'], { cwd: r.dir, env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } }, (e) => (e ? rej(e) : res())),
    );
    return { repo: r };
  }
});
