/**
 * Registered versions are immutable (SPEC section 2, check `version.immutable`), tried as the
 * author of a pull request who controls the head commit: every way of changing what a
 * registered version is, in every stage, is denied through the CLI with the change in the
 * working tree and committed (`check --base <start> --head HEAD`); a registered version is
 * judged on its evidence as base holds it; registrations, promotions and pinning stay allowed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { appendFile, cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { createHash } from 'node:crypto';
import { BASE_FILES, MANIFEST, makeRegistry, runRecord } from '../helpers/registry';
import type { TestRepo } from '../helpers/git';
import { resettableRepo } from './fixture';
import { makeHardeningRegistry } from '../hardening/fixtures/registry';

interface Check {
  id: string;
  status: string;
  level: string;
  message: string;
  actual?: unknown;
}
interface Judged {
  model: string;
  version: number;
  kind: string;
  from: string | null;
  to: string | null;
  decision: string;
  file?: string;
  line?: number;
  checks: Check[];
}
interface Report {
  decision: string;
  transitions: Judged[];
}

const SHA_A = `sha256:${'a'.repeat(64)}`;
/** v2's real evidence: a portable record's evidence is the digest of the file (SPEC section 6). */
const SHA_B = `sha256:${createHash('sha256').update(BASE_FILES['runs/v2.json']!).digest('hex')}`;

/** The e2e registry plus: v2's artifact in the repository, a None version, one run behind a symlinked directory. */
const REGISTRY_MANIFEST = MANIFEST.replace('    run: runs/v2.json\n', `    run: runs/v2.json\n    artifact: models/v2\n    digest: ${SHA_A}\n    evidence: ${SHA_B}\n`).replace(
  'aliases:',
  '  - version: 4\n    run: runs/v4.json\n    stage: None\n  - version: 5\n    run: linked/v5.json\n    stage: None\naliases:',
);

const fixture = resettableRepo(
  () =>
    makeHardeningRegistry({
        'registry/churn-predictor.yaml': REGISTRY_MANIFEST,
        'runs/v4.json': runRecord('run-v4', { val_auc: 0.87, latency_p99_ms: 8 }),
        'store/v5.json': runRecord('run-v5', { val_auc: 0.87, latency_p99_ms: 8 }),
        'store/other/v5.json': runRecord('run-v5-other', { val_auc: 0.99, latency_p99_ms: 1 }),
        'models/v2/model.bin': 'weights-v2\n',
        'shared/val_auc': '1700000000000 0.5 0\n',
      }),
  async (repo) => {
    await symlink('store', join(repo.dir, 'linked'));
    // An MLflow run whose metric file is a link to a file outside the run directory.
    await rm(join(repo.dir, 'mlruns/1/run1/metrics/val_auc'));
    await symlink('../../../../shared/val_auc', join(repo.dir, 'mlruns/1/run1/metrics/val_auc'));
    await repo.commitAll('registry with links and artifacts');
  },
);
let repo: TestRepo;
let start: string;
beforeAll(() => {
  ({ repo, start } = fixture);
});

async function checkWorktree(): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await modelgate(repo.dir, ['check', '--format', 'json']);
  return { code: r.code, report: r.stdout ? (JSON.parse(r.stdout) as Report) : { decision: '', transitions: [] }, stderr: r.stderr };
}

async function checkCommitted(): Promise<{ code: number; report: Report; stderr: string }> {
  await repo.commitAll('the change');
  const r = await modelgate(repo.dir, ['check', '--base', start, '--head', 'HEAD', '--format', 'json']);
  return { code: r.code, report: r.stdout ? (JSON.parse(r.stdout) as Report) : { decision: '', transitions: [] }, stderr: r.stderr };
}

function immutableCheck(report: Report, model: string, version: number): { judged: Judged; check: Check } {
  const judged = report.transitions.find((t) => t.model === model && t.version === version && t.checks.some((c) => c.id === 'version.immutable'));
  expect(judged, `${model} v${version} carries version.immutable in ${JSON.stringify(report).slice(0, 2000)}`).toBeDefined();
  const check = judged!.checks.find((c) => c.id === 'version.immutable')!;
  return { judged: judged!, check };
}

/** The change is denied by version.immutable naming `what`, in the working tree and committed. */
async function expectDenied(change: () => Promise<void>, model: string, version: number, what: RegExp): Promise<void> {
  for (const mode of ['working tree', 'committed'] as const) {
    await repo.git(['reset', '-q', '--hard', start]);
    await repo.git(['clean', '-qfdx']);
    await change();
    const r = mode === 'working tree' ? await checkWorktree() : await checkCommitted();
    expect(r.code, `${mode}: ${r.stderr}`).toBe(1);
    expect(r.report.decision).toBe('deny');
    const { judged, check } = immutableCheck(r.report, model, version);
    expect(judged.decision).toBe('deny');
    expect(check).toMatchObject({ status: 'fail', level: 'deny' });
    expect(check.message, mode).toMatch(what);
  }
}

async function expectAllowedWithoutMutation(change: () => Promise<void>): Promise<Report[]> {
  const reports: Report[] = [];
  for (const mode of ['working tree', 'committed'] as const) {
    await repo.git(['reset', '-q', '--hard', start]);
    await repo.git(['clean', '-qfdx']);
    await change();
    const r = mode === 'working tree' ? await checkWorktree() : await checkCommitted();
    expect(JSON.stringify(r.report), mode).not.toContain('version.immutable');
    expect(r.code, `${mode}: ${r.stderr}\n${JSON.stringify(r.report)}`).toBe(0);
    reports.push(r.report);
  }
  return reports;
}

const write = (path: string, text: string) => writeFile(join(repo.dir, path), text);
const editManifest = async (from: string, to: string) => {
  const path = join(repo.dir, 'registry/churn-predictor.yaml');
  const text = await readFile(path, 'utf8');
  expect(text).toContain(from);
  await writeFile(path, text.replace(from, to));
};

describe('a run file of a registered version changes: denied in every stage', () => {
  it.each([
    [1, 'Archived'],
    [2, 'Production'],
    [3, 'Staging'],
    [4, 'None'],
  ] as const)('v%s (%s): its run record is rewritten, the stage kept → a `modify` transition, denied', async (version, stage) => {
    await expectDenied(() => write(`runs/v${version}.json`, runRecord(`run-v${version}`, { val_auc: 0.99, latency_p99_ms: 1 })), 'churn-predictor', version, new RegExp(`runs/v${version}\\.json changed`));
    void stage;
  });

  it('the denied mutation sits on its manifest line, in text and JSON', async () => {
    await write('runs/v2.json', runRecord('run-v2', { val_auc: 0.99, latency_p99_ms: 1 }));
    const { report } = await checkWorktree();
    const { judged } = immutableCheck(report, 'churn-predictor', 2);
    expect(judged).toMatchObject({ kind: 'modify', from: 'Production', to: 'Production', file: 'registry/churn-predictor.yaml' });
    expect(judged.line).toBeGreaterThan(0);
    const text = await modelgate(repo.dir, ['check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/churn-predictor v2\s+Production \(changed in place\)\s+DENY\s+registry\/churn-predictor\.yaml:\d+/);
    expect(text.stdout).toContain('version.immutable');
  });

  it('a deleted run file of a kept version is a mutation too', async () => {
    await expectDenied(() => rm(join(repo.dir, 'runs/v1.json')), 'churn-predictor', 1, /runs\/v1\.json removed/);
  });
});

describe('pinned manifest fields of a registered version', () => {
  it.each([
    ['run changed', () => editManifest('run: runs/v2.json\n', 'run: runs/v3.json\n'), /run changed from runs\/v2\.json to runs\/v3\.json/],
    ['artifact changed', () => editManifest('artifact: models/v2\n', 'artifact: models/v3\n'), /artifact changed from models\/v2 to models\/v3/],
    ['artifact removed', () => editManifest('    artifact: models/v2\n', ''), /artifact removed/],
    ['artifact added', () => editManifest('run: runs/v1.json\n', 'run: runs/v1.json\n    artifact: models/v2\n'), /artifact added/],
    ['digest changed', () => editManifest(`digest: ${SHA_A}`, `digest: ${SHA_B}`), /digest changed/],
    ['digest removed', () => editManifest(`    digest: ${SHA_A}\n`, ''), /digest removed/],
    ['evidence changed', () => editManifest(`evidence: ${SHA_B}`, `evidence: ${SHA_A}`), /evidence changed/],
    ['evidence removed', () => editManifest(`    evidence: ${SHA_B}\n`, ''), /evidence removed/],
  ] as const)('%s → denied', async (_name, change, what) => {
    const version = _name.startsWith('artifact added') ? 1 : 2;
    await expectDenied(change, 'churn-predictor', version, what);
  });

  it('evidence added where there was none (`modelgate pin`) is not a mutation', async () => {
    await expectAllowedWithoutMutation(() => editManifest('run: runs/v1.json\n', `run: runs/v1.json\n    evidence: ${SHA_A}\n`));
  });
});

describe('repository artifact files', () => {
  it('an edited weight file → denied', async () => {
    await expectDenied(() => write('models/v2/model.bin', 'poisoned\n'), 'churn-predictor', 2, /models\/v2\/model\.bin changed/);
  });
  it('a file added to the artifact directory → denied', async () => {
    await expectDenied(() => write('models/v2/extra.pkl', 'x\n'), 'churn-predictor', 2, /models\/v2\/extra\.pkl added/);
  });
  it('an ignored file added to the artifact directory (working tree) → denied', async () => {
    await write('.gitignore', '*.pkl\n');
    await repo.commitAll('ignore pickles');
    const base = (await repo.git(['rev-parse', 'HEAD'])).trim();
    await write('models/v2/extra.pkl', 'x\n');
    const r = await modelgate(repo.dir, ['check', '--base', base, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(immutableCheck(JSON.parse(r.stdout) as Report, 'churn-predictor', 2).check.message).toMatch(/extra\.pkl added/);
  });
});

describe('MLflow and W&B run files', () => {
  it.each([
    ['metrics', 'mlruns/1/run2/metrics/val_auc', 'append'],
    ['params', 'mlruns/1/run2/params/learning_rate', 'write'],
    ['a new tag', 'mlruns/1/run2/tags/reviewed', 'write'],
    ['meta.yaml', 'mlruns/1/run2/meta.yaml', 'append'],
    ['MLmodel', 'mlruns/1/run2/artifacts/model/MLmodel', 'append'],
  ] as const)('mlf-model v2 (Staging): %s → denied', async (_what, path, how) => {
    await expectDenied(
      () => (how === 'append' ? appendFile(join(repo.dir, path), '\n') : write(path, '0.5')),
      'mlf-model',
      2,
      new RegExp(`${path.replace(/[.]/g, '\\.')} (changed|added)`),
    );
  });
  it('wb-model v1 (Production): wandb-summary.json → denied', async () => {
    const path = 'wandb/run-20260914_083012-k3v9q2xa/files/wandb-summary.json';
    await expectDenied(() => write(path, '{"val/mape": 0.01}'), 'wb-model', 1, /wandb-summary\.json changed/);
  });
});

describe('symlinks on the way and inside', () => {
  it('the file behind a symlinked run directory is edited → denied', async () => {
    await expectDenied(() => write('store/v5.json', runRecord('run-v5', { val_auc: 0.99, latency_p99_ms: 1 })), 'churn-predictor', 5, /store\/v5\.json changed/);
  });
  it('the symlinked directory is retargeted → denied', async () => {
    await expectDenied(
      async () => {
        await rm(join(repo.dir, 'linked'));
        await symlink('store/other', join(repo.dir, 'linked'));
      },
      'churn-predictor',
      5,
      /linked changed/,
    );
  });
  it('the file a link inside an MLflow run points at is edited → denied', async () => {
    await expectDenied(() => write('shared/val_auc', '1700000000000 0.99 0\n'), 'mlf-model', 1, /shared\/val_auc changed/);
  });
  it('a run file replaced by a link to a better file → denied', async () => {
    await expectDenied(
      async () => {
        await rm(join(repo.dir, 'runs/v2.json'));
        await symlink('../store/other/v5.json', join(repo.dir, 'runs/v2.json'));
      },
      'churn-predictor',
      2,
      /runs\/v2\.json changed type/,
    );
  });
});

describe('the evidence of a registered version is read from base', () => {
  it('promoting v3 while rewriting its run to a better one: denied, and judged on the base values', async () => {
    // In base v3's val_auc (0.882) passes; make it fail, commit that as base, then try to fix it in the PR.
    await write('runs/v3.json', runRecord('run-v3', { val_auc: 0.8, latency_p99_ms: 8.4 }));
    const base = await repo.commitAll('v3 as trained');
    await editManifest('stage: Production     # current champion', 'stage: Archived');
    await editManifest('stage: Staging', 'stage: Production');
    const honest = await modelgate(repo.dir, ['check', '--base', base, '--format', 'json']);
    expect(honest.code).toBe(1);
    await write('runs/v3.json', runRecord('run-v3', { val_auc: 0.95, latency_p99_ms: 8.4 }));
    for (const args of [['check', '--base', base, '--format', 'json'], null]) {
      let r;
      if (args) r = await modelgate(repo.dir, args);
      else {
        await repo.commitAll('promote v3 with a better run');
        r = await modelgate(repo.dir, ['check', '--base', base, '--head', 'HEAD', '--format', 'json']);
      }
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as Report;
      const v3 = report.transitions.find((t) => t.version === 3 && t.to === 'Production')!;
      expect(v3.decision).toBe('deny');
      expect(v3.checks.find((c) => c.id === 'metric:val_auc.min')).toMatchObject({ status: 'fail', actual: 0.8 });
      expect(v3.checks.find((c) => c.id === 'version.immutable')).toMatchObject({ status: 'fail' });
    }
  });

  it('appending a better point to a registered MLflow metric while promoting it: denied, judged on base', async () => {
    const mlf = join(repo.dir, 'registry/mlf-model.yaml');
    const text = await readFile(mlf, 'utf8');
    await writeFile(mlf, text.replace('stage: Production', 'stage: Archived').replace('stage: Staging', 'stage: Production'));
    const before = (await readFile(join(repo.dir, 'mlruns/1/run2/metrics/val_auc'), 'utf8')).trim().split('\n').pop()!.split(' ');
    await appendFile(join(repo.dir, 'mlruns/1/run2/metrics/val_auc'), `\n9999999999999 0.999 ${Number(before[2] ?? 0) + 1000}\n`);
    const r = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const v2 = (JSON.parse(r.stdout) as Report).transitions.find((t) => t.model === 'mlf-model' && t.version === 2)!;
    expect(v2.checks.find((c) => c.id === 'metric:val_auc.min')?.actual).toBe(Number(before[1]));
    expect(v2.checks.find((c) => c.id === 'version.immutable')?.message).toMatch(/metrics\/val_auc changed/);
  });
});

describe('what stays allowed', () => {
  it('registering a new version with new run files (stage None), next to registered runs', async () => {
    await expectAllowedWithoutMutation(async () => {
      await write('runs/v6.json', runRecord('run-v6', { val_auc: 0.9, latency_p99_ms: 8 }));
      await mkdir(join(repo.dir, 'mlruns/1/run9/metrics'), { recursive: true });
      await write('mlruns/1/run9/metrics/val_auc', '1 0.9 0\n');
      await editManifest('aliases:', '  - version: 6\n    run: runs/v6.json\n    stage: None\naliases:');
    });
  });
  it('an ordinary promotion', async () => {
    const [report] = await expectAllowedWithoutMutation(async () => {
      await editManifest('stage: Production     # current champion', 'stage: Archived');
      await editManifest('stage: Staging', 'stage: Production');
    });
    expect(report!.transitions.map((t) => `${t.version}:${t.to}`).sort()).toEqual(['2:Archived', '3:Production']);
  });
  it('a version removed from the manifest may lose its files', async () => {
    for (const mode of ['working tree', 'committed'] as const) {
      await repo.git(['reset', '-q', '--hard', start]);
      await editManifest('  - version: 4\n    run: runs/v4.json\n    stage: None\n', '');
      await rm(join(repo.dir, 'runs/v4.json'));
      const r = mode === 'working tree' ? await checkWorktree() : await checkCommitted();
      expect(JSON.stringify(r.report), mode).not.toContain('version.immutable');
    }
  });
  it('files that belong to no registered version', async () => {
    await expectAllowedWithoutMutation(async () => {
      await write('README.md', '# notes\n');
      await write('store/unrelated.json', '{}\n');
      await write('mlruns/1/meta.yaml', 'name: churn\n');
    });
  });
});

describe('a tracking-server run whose model lives in mlartifacts/ (MLflow 2.3.2 sample)', () => {
  const SAMPLE = '/work/shared/samples/mlflow/mlruns-mlflow-2.3.2'; // as test/storage/s3.test.ts
  const RUN = '4a07d570cf0448a3bfeba60cff20429b';
  it('editing the served MLmodel of a registered version → denied; an unrelated served run → allowed', async () => {
    const served = await makeRegistry({
      'registry/served.yaml': `apiVersion: modelgate/v1\nkind: Model\nname: served\nversions:\n  - version: 1\n    run: mlruns/0/${RUN}\n    stage: Production\n`,
    });
    try {
      await cp(join(SAMPLE, 'mlruns/0', RUN), join(served.dir, 'mlruns/0', RUN), { recursive: true });
      await cp(join(SAMPLE, 'mlartifacts/0', RUN), join(served.dir, 'mlartifacts/0', RUN), { recursive: true });
      await cp(join(SAMPLE, 'mlartifacts/0/7b6ab766a75240cda1b7c7324208026a'), join(served.dir, 'mlartifacts/0/7b6ab766a75240cda1b7c7324208026a'), { recursive: true });
      const base = await served.commitAll('a served run');
      await appendFile(join(served.dir, 'mlartifacts/0/7b6ab766a75240cda1b7c7324208026a/artifacts/model/MLmodel'), '\n');
      const unrelated = await modelgate(served.dir, ['check', '--base', base, '--format', 'json']);
      expect(unrelated.stdout).not.toContain('version.immutable');
      await appendFile(join(served.dir, `mlartifacts/0/${RUN}/artifacts/model/MLmodel`), '\n');
      const r = await modelgate(served.dir, ['check', '--base', base, '--format', 'json']);
      expect(r.code, r.stderr).toBe(1);
      expect(immutableCheck(JSON.parse(r.stdout) as Report, 'served', 1).check.message).toMatch(new RegExp(`mlartifacts/0/${RUN}/artifacts/model/MLmodel changed`));
    } finally {
      await served.cleanup();
    }
  });
});
