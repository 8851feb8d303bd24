/**
 * Neutral output through the CLI (in-process: cli/main, with the same inert output): user
 * text (tag values, model names, file names) carrying the runner's legacy `##[cmd]`, `::cmd::` lines, URLs, `www.` names and emails
 * reaches text, json and markdown output and error messages inert: no raw `##[`, no line
 * starting `::`, no clickable autolink in markdown; json stays valid with the values intact.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { modelgateInProcess as modelgate } from '../helpers/cliInProcess';
import { makeRegistry, MANIFEST, POLICY, runRecord } from '../helpers/registry';

const EVIL = '##[error]pwned https://evil.example/x www.evil.example bob@evil.example';
// A function replacement: `$'` in a replacement string would mean "the text after the match".
const MATCHED = POLICY.replace('    tags: { required: [data_version] }\n', () => "    tags: { required: [data_version], match: { data_version: '^[0-9-]+$' } }\n");
const WITH_V4 = MANIFEST.replace('aliases:', ['  - version: 4', '    run: runs/v4.json', '    stage: Staging', 'aliases:'].join('\n'));

const repos: { cleanup(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()));
});

function inert(text: string): void {
  expect(text).not.toContain('##[');
  expect(text.split(/\r\n|\r|\n/).some((l) => /^[\s\u0085]*::/.test(l))).toBe(false);
}

describe('neutral output (CLI)', () => {
  it('check in text, json and markdown: a hostile tag value is shown inert; json keeps it exactly', async () => {
    const repo = await makeRegistry({ 'policies/churn.yaml': MATCHED });
    repos.push(repo);
    const run = JSON.parse(runRecord('run-v4', { val_auc: 0.9, latency_p99_ms: 8 })) as { tags: Record<string, string> };
    run.tags.data_version = EVIL;
    await repo.write('runs/v4.json', JSON.stringify(run, null, 2));
    await repo.write('registry/churn-predictor.yaml', WITH_V4);

    const text = await modelgate(repo.dir, ['check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('pwned');
    inert(text.stdout + text.stderr);

    const json = await modelgate(repo.dir, ['check', '--format', 'json']);
    expect(json.code).toBe(1);
    inert(json.stdout);
    const report = JSON.parse(json.stdout) as { transitions: { checks: { id: string; actual?: unknown; message: string }[] }[] };
    const check = report.transitions[0]!.checks.find((c) => c.id === 'tag:data_version.match')!;
    expect(check.actual).toBe(EVIL);
    expect(check.message).toContain(EVIL);

    const md = await modelgate(repo.dir, ['check', '--format', 'markdown']);
    expect(md.code).toBe(1);
    inert(md.stdout);
    expect(md.stdout).toContain('pwned');
    // Outside the lineage diagram's code fence (nothing in a fence is a link).
    const prose = md.stdout.replace(/^```mermaid\n[\s\S]*?^```$/gm, '');
    expect(prose).toContain('pwned');
    expect(prose).not.toContain('://');
    expect(prose).not.toMatch(/www\./i);
    expect(prose).not.toMatch(/@[A-Za-z0-9]/);
  });

  it('a model named www.evil.example is not a link in markdown', async () => {
    const repo = await makeRegistry({ 'policies/churn.yaml': POLICY.replace('models: ["churn-*"]', 'models: ["*"]') });
    repos.push(repo);
    await repo.write('runs/w.json', runRecord('run-w', { val_auc: 0.9, latency_p99_ms: 8 }));
    await repo.write('registry/www.evil.example.yaml', 'apiVersion: modelgate/v1\nkind: Model\nname: www.evil.example\nversions:\n  - version: 1\n    run: runs/w.json\n    stage: Staging\n');
    const md = await modelgate(repo.dir, ['check', '--format', 'markdown']);
    expect(md.stdout).toContain('evil.example');
    expect(md.stdout).not.toMatch(/www\./i);
    inert(md.stdout);
  });

  it('validate errors (text and json) from a hostile name are inert; json keeps the value', async () => {
    const repo = await makeRegistry();
    repos.push(repo);
    await repo.write('registry/churn-predictor.yaml', MANIFEST.replace('name: churn-predictor', `name: "${EVIL}"`));
    const text = await modelgate(repo.dir, ['validate']);
    expect(text.code).toBe(2);
    expect(text.stdout + text.stderr).toContain('pwned');
    inert(text.stdout + text.stderr);
    const json = await modelgate(repo.dir, ['validate', '--format', 'json']);
    expect(json.code).toBe(2);
    inert(json.stdout);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false });
    expect(json.stdout).toContain('##\\u005b');
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('##[');
  });

  it('an error message naming a hostile file (##[ in a --base ref) is inert, exit 2', async () => {
    const repo = await makeRegistry();
    repos.push(repo);
    const r = await modelgate(repo.dir, ['check', '--base', '##[error]nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope');
    inert(r.stdout + r.stderr);
  });
});
