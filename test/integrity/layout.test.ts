/**
 * A change to `modelgate.yaml`'s `registry` or `audit` keys is judged across layouts (SPEC
 * section 4): transitions from each model's manifest in the base layout to its manifest in the
 * head layout, and each audit log carried over unchanged. Before, such a change got only the
 * `policy.unchanged` warning, and after merge the new directory was the registry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { makeRegistry } from '../helpers/registry';
import type { TestRepo } from '../helpers/git';
import { resettableRepo } from './fixture';

interface Report {
  decision: string;
  transitions: { model: string; version: number; from: string | null; to: string | null; decision: string; checks: { id: string; status: string }[] }[];
  checks?: { id: string; status: string }[];
}

// A log with records, so moving it has something to carry over.
const fixture = resettableRepo(makeRegistry, async (repo) => {
  const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'beats v2', '--actor', 'alice', '--commit']);
  expect(r.code, r.stderr).toBe(0);
});
let repo: TestRepo;
let start: string;
beforeAll(() => {
  ({ repo, start } = fixture);
});

async function config(text: string): Promise<void> {
  await writeFile(join(repo.dir, 'modelgate.yaml'), text);
}
const MOVED_REGISTRY = 'registry: models\npolicies: policies\naudit: audit\n';
const MOVED_AUDIT = 'registry: registry\npolicies: policies\naudit: trail\n';

async function judgeBoth(change: () => Promise<void>): Promise<{ mode: string; code: number; stdout: string; stderr: string }[]> {
  const out = [];
  for (const mode of ['working tree', 'committed'] as const) {
    await repo.git(['reset', '-q', '--hard', start]);
    await repo.git(['clean', '-qfdx']);
    await change();
    if (mode === 'committed') await repo.commitAll('move the registry');
    const r = await modelgate(repo.dir, mode === 'committed' ? ['check', '--base', start, '--head', 'HEAD', '--format', 'json'] : ['check', '--format', 'json']);
    out.push({ mode, ...r });
  }
  return out;
}

describe('the registry directory moves', () => {
  it('a pure move (every manifest carried over as it was): allowed, with the policy.unchanged warning only', async () => {
    for (const r of await judgeBoth(async () => {
      await config(MOVED_REGISTRY);
      await rename(join(repo.dir, 'registry'), join(repo.dir, 'models'));
    })) {
      expect(r.code, `${r.mode}: ${r.stdout}${r.stderr}`).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.transitions).toEqual([]);
      expect(report.checks?.map((c) => `${c.id}:${c.status}`)).toEqual(['policy.unchanged:warn']);
    }
  });

  it('a move that also rolls v2 back into Production in the new place: the promotion is judged and denied', async () => {
    for (const r of await judgeBoth(async () => {
      await config(MOVED_REGISTRY);
      await rename(join(repo.dir, 'registry'), join(repo.dir, 'models'));
      const path = join(repo.dir, 'models/churn-predictor.yaml');
      const text = await readFile(path, 'utf8');
      // v2 (Archived) straight back to Production, v3 out: Archived -> Production is only a rollback.
      await writeFile(path, text.replace(/(version: 2\n\s+run: runs\/v2.json\n\s+stage: )Archived/, '$1Production').replace(/(version: 3\n\s+run: runs\/v3.json\s*(#.*)?\n\s+stage: )Production/, '$1Archived'));
    })) {
      expect(r.code, `${r.mode}: ${r.stdout}${r.stderr}`).toBe(1);
      const report = JSON.parse(r.stdout) as Report;
      const v2 = report.transitions.find((t) => t.version === 2)!;
      expect(v2).toMatchObject({ from: 'Archived', to: 'Production', decision: 'deny' });
      expect(v2.checks.find((c) => c.id === 'transition.allowed')?.status).toBe('fail');
    }
  });

  it('a move that leaves a model behind: its versions are judged as removed', async () => {
    for (const r of await judgeBoth(async () => {
      await config(MOVED_REGISTRY);
      await mkdir(join(repo.dir, 'models'));
    })) {
      expect(r.code, `${r.mode}: ${r.stdout}${r.stderr}`).toBe(1);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.transitions.filter((t) => t.to === null).map((t) => t.version).sort()).toEqual([1, 2, 3]);
      expect(report.transitions.find((t) => t.version === 3)?.decision).toBe('deny');
    }
  });
});

describe('the audit directory moves', () => {
  it('the log carried over unchanged: allowed', async () => {
    for (const r of await judgeBoth(async () => {
      await config(MOVED_AUDIT);
      await rename(join(repo.dir, 'audit'), join(repo.dir, 'trail'));
    })) {
      expect(r.code, `${r.mode}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  });

  it('the log left behind (none in the new place): refused, naming the log', async () => {
    for (const r of await judgeBoth(async () => {
      await config(MOVED_AUDIT);
      await mkdir(join(repo.dir, 'trail'));
      await writeFile(join(repo.dir, 'trail/.keep'), '');
    })) {
      expect(r.code, `${r.mode}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/the change deletes trail\/churn-predictor\.jsonl, which holds 2 records/);
    }
  });

  it('the log carried over with its last record dropped: refused', async () => {
    for (const r of await judgeBoth(async () => {
      await config(MOVED_AUDIT);
      await cp(join(repo.dir, 'audit'), join(repo.dir, 'trail'), { recursive: true });
      await rm(join(repo.dir, 'audit'), { recursive: true });
      const path = join(repo.dir, 'trail/churn-predictor.jsonl');
      const lines = (await readFile(path, 'utf8')).trim().split('\n');
      await writeFile(path, lines[0] + '\n');
    })) {
      expect(r.code, `${r.mode}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/rewrites records|deletes/);
    }
  });
});
