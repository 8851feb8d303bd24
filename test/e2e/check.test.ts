/**
 * `modelgate check` end to end on real git repositories: base = a commit, head = the working
 * tree or a ref; policies from base; exit codes and the JSON shape as the spec says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLI, modelgate, runNode } from '../helpers/cli';
import { makeRegistry, MANIFEST, POLICY, runRecord } from '../helpers/registry';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const repos: Repo[] = [];
async function registry(overrides: Record<string, string | null> = {}): Promise<Repo> {
  const r = await makeRegistry(overrides);
  repos.push(r);
  return r;
}
afterEach(async () => {
  while (repos.length) await repos.pop()!.cleanup();
});

const promote3 = MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace(
  'stage: Staging',
  'stage: Production',
);

interface JsonReport {
  schemaVersion: number;
  decision: string;
  summary: { transitions: number; allowed: number; denied: number; warnings: number };
  transitions: { model: string; version: number; from: string; to: string; decision: string; checks: { id: string; status: string; level: string; message: string; actual?: unknown; expected?: unknown; policy?: string }[] }[];
  checks?: { id: string; status: string }[];
}

describe('check', () => {
  it('allows a promotion that meets every rule (exit 0) and reports every verdict in the spec JSON shape', async () => {
    const repo = await registry();
    await repo.write('registry/churn-predictor.yaml', promote3);
    const r = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.decision).toBe('allow');
    const t = report.transitions.find((x) => x.version === 3)!;
    expect(t).toMatchObject({ model: 'churn-predictor', from: 'Staging', to: 'Production', decision: 'allow' });
    const auc = t.checks.find((c) => c.id === 'metric:val_auc.min')!;
    expect(auc).toMatchObject({ status: 'pass', level: 'deny', actual: 0.882, expected: 0.85, policy: 'policies/churn.yaml' });
    expect(t.checks.find((c) => c.id === 'metric:val_auc.maxDecrease')!.status).toBe('pass');
    expect(t.checks.find((c) => c.id === 'signature.compatible')!.status).toBe('pass');
    // v2 leaving Production for Archived is a transition too.
    expect(report.transitions.some((x) => x.version === 2 && x.to === 'Archived')).toBe(true);
  });

  it('denies a regression against the base champion (exit 1) and says by how much', async () => {
    const repo = await registry({ 'runs/v3.json': runRecord('run-v3', { val_auc: 0.866, latency_p99_ms: 8 }) });
    await repo.write('registry/churn-predictor.yaml', promote3);
    const r = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.decision).toBe('deny');
    const t = report.transitions.find((x) => x.version === 3)!;
    expect(t.decision).toBe('deny');
    const dec = t.checks.find((c) => c.id === 'metric:val_auc.maxDecrease')!;
    expect(dec.status).toBe('fail');
    expect(dec.message).toMatch(/0\.008/);
    expect(report.summary).toMatchObject({ denied: 1 });
    // Text output names the failing check too.
    const text = await modelgate(repo.dir, ['check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('metric:val_auc.maxDecrease');
  });

  it('judges a pull request by the BASE policies: a PR that weakens its own policy is still denied', async () => {
    const repo = await registry({ 'runs/v3.json': runRecord('run-v3', { val_auc: 0.84, latency_p99_ms: 8 }) });
    await repo.write('registry/churn-predictor.yaml', promote3);
    await repo.write('policies/churn.yaml', POLICY.replace('min: 0.85', 'min: 0.50').replace('maxDecrease: 0.005', 'maxDecrease: 0.5'));
    const r = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const t = report.transitions.find((x) => x.version === 3)!;
    // The warning sits with the transition it concerns, naming the edited policy file.
    expect(t.checks.find((c) => c.id === 'policy.unchanged')).toMatchObject({ status: 'warn', level: 'warn', actual: ['policies/churn.yaml'] });
    expect(report.checks).toBeUndefined();
    for (const x of report.transitions) expect(x.checks.filter((c) => c.id === 'policy.unchanged')).toHaveLength(1);
    expect(t.checks.find((c) => c.id === 'metric:val_auc.min')).toMatchObject({ status: 'fail', expected: 0.85 });
  });

  it('compares two refs with --base and --head', async () => {
    const repo = await registry();
    const base = (await repo.git(['rev-parse', 'HEAD'])).trim();
    await repo.write('registry/churn-predictor.yaml', promote3);
    await repo.commitAll('promote v3');
    await repo.write('registry/churn-predictor.yaml', MANIFEST); // working tree reverted: must not matter
    const r = await modelgate(repo.dir, ['check', '--base', base, '--head', 'HEAD', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonReport).transitions.some((t) => t.version === 3 && t.to === 'Production')).toBe(true);
  });

  it('denies skipping Staging (None -> Production) by the default graph', async () => {
    const repo = await registry();
    await repo.write('runs/v4.json', runRecord('run-v4', { val_auc: 0.9, latency_p99_ms: 5 }));
    await repo.write(
      'registry/churn-predictor.yaml',
      promote3.replace('aliases:', '  - version: 4\n    run: runs/v4.json\n    stage: Production\naliases:').replace('stage: Production\n    run: runs/v3', 'stage: Staging\n    run: runs/v3'),
    );
    const r = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
  });

  it('a version removed inside the retention window is denied', async () => {
    const repo = await registry();
    await repo.write('registry/churn-predictor.yaml', MANIFEST.replace(/  - version: 1\n    run: runs\/v1.json\n    stage: Archived\n/, ''));
    const r = await modelgate(repo.dir, ['check', '--format', 'json']);
    const report = JSON.parse(r.stdout) as JsonReport;
    const t = report.transitions.find((x) => x.version === 1)!;
    expect(t.checks.find((c) => c.id === 'retention.archived')!.status).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('no change: nothing to judge, exit 0', async () => {
    const repo = await registry();
    const r = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonReport).transitions).toEqual([]);
  });

  it('markdown output has a verdict line and escapes user text', async () => {
    const repo = await registry();
    await repo.write('registry/churn-predictor.yaml', promote3);
    const r = await modelgate(repo.dir, ['check', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#+ .*modelgate/m);
    expect(r.stdout).toContain('churn-predictor');
  });

  it('bad input in the head manifest: exit 2 with file and line, and nothing judged', async () => {
    const repo = await registry();
    await repo.write('registry/churn-predictor.yaml', MANIFEST.replace('stage: Staging', 'stage: staging'));
    const r = await modelgate(repo.dir, ['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/registry\/churn-predictor\.yaml:\d+/);
    expect(r.stderr).toContain('Staging');
  });

  it('an unknown base ref is a usage error (exit 2)', async () => {
    const repo = await registry();
    const r = await modelgate(repo.dir, ['check', '--base', 'no-such-branch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-branch');
  });

  it('a --repo that is not a directory is a usage error (exit 2) for every command', async () => {
    const repo = await registry();
    for (const command of [['validate'], ['status'], ['check'], ['audit', 'verify']]) {
      const r = await runNode(CLI, [...command, '--repo', join(repo.dir, 'no-such-dir')], { cwd: repo.dir });
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--repo .*no-such-dir is not a directory/);
    }
  });

  it('check --all reports drift of versions against today’s policies', async () => {
    const repo = await registry({ 'runs/v2.json': runRecord('run-v2', { val_auc: 0.81, latency_p99_ms: 7.9 }) });
    const r = await modelgate(repo.dir, ['check', '--all', '--format', 'json']);
    const report = JSON.parse(r.stdout) as JsonReport;
    const prod = report.transitions.find((t) => t.version === 2)!;
    expect(prod.checks.find((c) => c.id === 'metric:val_auc.min')!.status).toBe('fail');
    expect(r.code).toBe(1);
  });
});
