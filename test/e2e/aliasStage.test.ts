/**
 * Aliases and stages stay consistent (issue 15): an alias whose rule requires a stage
 * (`rules."@champion".from`) is judged whenever the stage of its version changes, in a pull
 * request's check and in the decision commands; `promote --alias` and `rollback` move it in
 * the same decision; `check --all` reports an alias left where its rule refuses it. End to end
 * through the CLI on real git repositories.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { makeRegistry, MANIFEST, POLICY } from '../helpers/registry';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const repos: Repo[] = [];
afterEach(async () => {
  while (repos.length) await repos.pop()!.cleanup();
});

/** The test policy, plus: only a Production version may hold @champion. */
const CHAMPION_RULE = `${POLICY.replace('retention:', '  "@champion":\n    from: [Production]\nretention:')}`;

async function registry(manifest = MANIFEST, policy = CHAMPION_RULE): Promise<Repo> {
  const r = await makeRegistry({ 'policies/churn.yaml': policy, 'registry/churn-predictor.yaml': manifest });
  repos.push(r);
  return r;
}

const FILE = 'registry/churn-predictor.yaml';
const ACTOR = ['--actor', 'alice'];

/** Edits of the manifest a pull request could make (text as a person writes it). */
function stageOf(text: string, version: number, stage: string): string {
  const re = new RegExp(`(- version: ${version}\\n(?:\\s+(?!- )[^\\n]*\\n)*?\\s+stage: )\\w+`);
  if (!re.test(text)) throw new Error(`no version ${version}`);
  return text.replace(re, `$1${stage}`);
}
const championOn = (text: string, version: number) => text.replace(/champion: \d+/, `champion: ${version}`);

interface Json {
  decision: string;
  transitions: { version: number; to: string; decision: string; checks: { id: string; status: string; message: string }[] }[];
}

async function checkJson(repo: Repo, args: string[] = []): Promise<{ code: number; report: Json }> {
  const r = await modelgate(repo.dir, ['check', '--format', 'json', ...args]);
  expect([0, 1], r.stderr).toContain(r.code);
  return { code: r.code, report: JSON.parse(r.stdout) as Json };
}

function aliasFailure(report: Json, version: number): string | undefined {
  const t = report.transitions.find((x) => x.version === version && !x.to.startsWith('@'));
  return t?.checks.find((c) => c.id === 'transition.allowed' && c.status === 'fail' && c.message.includes('@champion'))?.message;
}

describe('a pull request that changes the stage of the champion’s version', () => {
  it('is denied when @champion stays behind, whichever way the stage changes', async () => {
    const repo = await registry();
    const variants: [string, string][] = [
      ['archive the champion', stageOf(MANIFEST, 2, 'Archived')],
      ['replace the champion (v3 to Production, v2 archived)', stageOf(stageOf(MANIFEST, 2, 'Archived'), 3, 'Production')],
      ['demote the champion to Staging', stageOf(MANIFEST, 2, 'Staging')],
      ['send the champion back to None', stageOf(MANIFEST, 2, 'None')],
    ];
    for (const [label, text] of variants) {
      await writeFile(join(repo.dir, FILE), text);
      const { code, report } = await checkJson(repo);
      expect(code, label).toBe(1);
      const message = aliasFailure(report, 2);
      expect(message ?? JSON.stringify(report.transitions.map((t) => t.checks)), label).toMatch(/@champion may only point at a version in Production .*v2 would be in \w+: move @champion/);
    }
  });

  it('is allowed when @champion moves with it to a version its rule accepts, and denied when it moves to one it refuses', async () => {
    const repo = await registry();
    const replaced = stageOf(stageOf(MANIFEST, 2, 'Archived'), 3, 'Production');
    await writeFile(join(repo.dir, FILE), championOn(replaced, 3));
    const moved = await checkJson(repo);
    expect(moved.code, JSON.stringify(moved.report)).toBe(0);
    expect(moved.report.transitions.map((t) => `v${t.version} ${t.to} ${t.decision}`)).toEqual(['v2 Archived allow', 'v3 Production allow', 'v3 @champion allow']);

    // Moving it to the archived one instead, or to a Staging version, is refused by the same rule.
    await writeFile(join(repo.dir, FILE), championOn(stageOf(MANIFEST, 2, 'Archived'), 1));
    const toArchived = await checkJson(repo);
    expect(toArchived.code).toBe(1);
    expect(toArchived.report.transitions.find((t) => t.to === '@champion')?.decision).toBe('deny');
  });

  it('is judged by the alias rule only: an alias without a from rule may stay on an archived version', async () => {
    const repo = await registry(MANIFEST, POLICY);
    await writeFile(join(repo.dir, FILE), stageOf(MANIFEST, 2, 'Archived'));
    const { code, report } = await checkJson(repo);
    expect(aliasFailure(report, 2)).toBeUndefined();
    expect(code, JSON.stringify(report)).toBe(0);
  });

  it('removing the alias with the archive is allowed (nothing serves it any more), and recorded', async () => {
    const repo = await registry();
    await writeFile(join(repo.dir, FILE), stageOf(MANIFEST, 2, 'Archived').replace(/aliases:\n {2}champion: 2\n/, 'aliases: {}\n'));
    const { code, report } = await checkJson(repo);
    expect(code, JSON.stringify(report)).toBe(0);
  });
});

describe('decisions move the alias in the same change', () => {
  it('promote --to Production without --alias is denied and writes nothing; with --alias champion it moves @champion', async () => {
    const repo = await registry();
    const before = await readFile(join(repo.dir, FILE), 'utf8');
    const denied = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', ...ACTOR, '--commit']);
    expect(denied.code, denied.stdout + denied.stderr).toBe(1);
    expect(denied.stdout).toMatch(/@champion may only point at a version in Production/);
    expect(denied.stdout).toMatch(/--alias champion/);
    expect(await readFile(join(repo.dir, FILE), 'utf8')).toBe(before);

    const r = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--alias', 'champion', ...ACTOR, '--commit']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const after = await readFile(join(repo.dir, FILE), 'utf8');
    expect(after).toMatch(/aliases:\n {2}champion: 3\n/);
    expect(after).toContain('# current champion'); // comments kept
    const records = (await readFile(join(repo.dir, 'audit/churn-predictor.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; version: number; to: string; displaced?: number });
    expect(records.map((x) => `${x.action} v${x.version} ${x.to}`)).toEqual(['promote v3 Production', 'alias v3 @champion', 'archive v2 Archived']);
    expect(records[1]!.displaced).toBe(2);
    expect(await repo.git(['log', '-1', '--format=%s'])).toMatch(/^modelgate: promote churn-predictor v3 Staging -> Production, @champion with it\n?$/);
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('refuses --alias with an alias target, and a malformed alias name (exit 2)', async () => {
    const repo = await registry();
    const both = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', '@champion', '--alias', 'champion', ...ACTOR]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--alias goes with a stage/);
    const bad = await modelgate(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--alias', 'champ ion', ...ACTOR]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid alias/);
  });

  it('rollback carries @champion back with Production; an alias without a from rule stays', async () => {
    const repo = await registry();
    const steps = [
      ['promote', 'churn-predictor', '3', '--to', 'Production', '--alias', 'champion'],
      ['promote', 'churn-predictor', '3', '--to', '@shadow'],
      ['rollback', 'churn-predictor', '--reason', 'latency spike'],
    ];
    for (const args of steps) {
      const r = await modelgate(repo.dir, [...args, ...ACTOR, '--commit']);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    const text = await readFile(join(repo.dir, FILE), 'utf8');
    expect(text).toMatch(/champion: 2/);
    expect(text).toMatch(/shadow: 3/);
    const records = (await readFile(join(repo.dir, 'audit/churn-predictor.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; version: number; to: string });
    expect(records.slice(-3).map((x) => `${x.action} v${x.version} ${x.to}`)).toEqual(['rollback v2 Production', 'rollback v2 @champion', 'archive v3 Archived']);
    const verify = await modelgate(repo.dir, ['audit', 'verify']);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('rollback --alias champion on the Production version is the Production rollback, alias included', async () => {
    const repo = await registry();
    for (const args of [
      ['promote', 'churn-predictor', '3', '--to', 'Production', '--alias', 'champion'],
      ['rollback', 'churn-predictor', '--alias', 'champion', '--reason', 'bad canary'],
    ]) {
      const r = await modelgate(repo.dir, [...args, ...ACTOR, '--commit']);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    const text = await readFile(join(repo.dir, FILE), 'utf8');
    expect(text).toMatch(/champion: 2/);
    expect(text).toMatch(/- version: 2\n\s+run: runs\/v2.json\n\s+stage: Production/);
    expect(text).toMatch(/- version: 3\n\s+run: runs\/v3.json[^\n]*\n\s+stage: Archived/);
    const { report } = await checkJson(repo, ['--all']);
    expect(report.transitions.find((t) => t.to === '@champion')?.decision).toBe('allow');
  });
});

describe('rollback --alias on an alias that is not the Production version\'s', () => {
  it('refuses (exit 2, nothing written) a target its from rule refuses, and moves it to one the rule allows', async () => {
    const rule = CHAMPION_RULE.replace('retention:', '  "@challenger":\n    from: [Staging, Production]\nretention:');
    const repo = await registry(MANIFEST.replace('  champion: 2\n', '  champion: 2\n  challenger: 3\n'), rule);
    const before = await readFile(join(repo.dir, FILE), 'utf8');
    const refused = await modelgate(repo.dir, ['rollback', 'churn-predictor', '--alias', 'challenger', '--to', '1', '--reason', 'x', ...ACTOR, '--commit']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/@challenger may only point at a version in Staging, Production \(its from rule\); v1 is Archived/);
    expect(await readFile(join(repo.dir, FILE), 'utf8')).toBe(before);
    const moved = await modelgate(repo.dir, ['rollback', 'churn-predictor', '--alias', 'challenger', '--to', '2', '--reason', 'x', ...ACTOR, '--commit']);
    expect(moved.code, moved.stdout + moved.stderr).toBe(0);
    expect(await readFile(join(repo.dir, FILE), 'utf8')).toMatch(/challenger: 2/);
  });
});

describe('check --all', () => {
  it('reports @champion left on a version its rule refuses (committed by hand, bypassing the gate)', async () => {
    const repo = await registry(stageOf(MANIFEST, 2, 'Archived').replace('stage: Staging', 'stage: Production'));
    const { code, report } = await checkJson(repo, ['--all']);
    expect(code).toBe(1);
    const drift = report.transitions.find((t) => t.to === '@champion');
    expect(drift?.decision).toBe('deny');
    expect(drift?.checks.find((c) => c.id === 'transition.allowed')?.message).toMatch(/@champion may only point at a version in Production .*v2 is in Archived/);

    const fine = await registry();
    const ok = await checkJson(fine, ['--all']);
    expect(ok.report.transitions.find((t) => t.to === '@champion')?.decision).toBe('allow');
  });
});
