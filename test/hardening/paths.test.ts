/**
 * Path and name safety, through the CLI bundle: run references, artifact paths, config
 * directories and model names with `..`, absolute paths, `~`, NUL, backslashes, symlinks (to a
 * file, and a symlinked directory in the middle of a path, in the working tree and in a commit),
 * 5,000-character names and Unicode look-alikes.
 *
 * Proof that nothing outside is read: next to the repository lies a canary run record that
 * passes every check. If modelgate read it, the verdict would be "allowed" (exit 0); it must be
 * exit 2 (an unsafe path is an input error, SPEC section 3). Proof that nothing outside is
 * written: the listing of the directory around the repository is the same after every command.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { TestRepo } from '../helpers/git';
import { modelgate } from '../helpers/cli';
import { runRecord } from '../helpers/registry';
import { makeHardeningRegistry, proposePromotion, TARGETS } from './fixtures/registry';
import { expectBounded, modelgateMeasured, resetRepo, summary, worktreeSnapshot } from './fixtures/harness';

let repo: TestRepo;
/** The directory holding the repository (and the canaries): nothing in it may change. */
let outside: string;
let canary: string;

/** A run record that passes the Production rules: reading it would allow the promotion. */
const CANARY_RECORD = runRecord('canary-outside-the-repo', { val_auc: 0.99, latency_p99_ms: 1 });

beforeAll(async () => {
  repo = await makeHardeningRegistry();
  outside = dirname(repo.dir);
  canary = join(outside, 'canary.json');
  await writeFile(canary, CANARY_RECORD);
  await mkdir(join(outside, 'elsewhere', 'runs'), { recursive: true });
  await writeFile(join(outside, 'elsewhere', 'runs', 'v3.json'), CANARY_RECORD);
  await writeFile(join(outside, 'elsewhere', 'churn-predictor.yaml'), (await readFile(join(repo.dir, TARGETS.manifest), 'utf8')).replace('stage: Staging', 'stage: Production'));
});

afterAll(async () => {
  console.log(summary('path safety'));
  await repo?.cleanup();
});

/** Recursive listing (path, size, mtime) of everything around the repository, but not in it. */
async function listing(dir = outside): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const p = join(dir, name);
    if (p === repo.dir) continue;
    const st = await stat(p).catch(() => undefined);
    out.push(`${relative(outside, p)} ${st?.size ?? '?'} ${st?.mtimeMs ?? '?'}`);
    if (st?.isDirectory()) out.push(...(await listing(p)));
  }
  return out;
}

let around: string[];
beforeAll(async () => {
  around = await listing();
});
afterEach(async () => {
  expect(await listing(), 'nothing outside the repository was written').toEqual(around);
  await resetRepo(repo.dir);
});

/** The proposed manifest with v3's run (or another field) replaced. */
async function setV3(field: 'run' | 'artifact', yamlValue: string): Promise<void> {
  await proposePromotion(repo, 'manifest');
  const path = join(repo.dir, TARGETS.manifest);
  const text = await readFile(path, 'utf8');
  const next =
    field === 'run'
      ? text.replace('run: runs/v3.json     # retrained on March data', `run: ${yamlValue}`)
      : text.replace('run: runs/v3.json     # retrained on March data', `run: runs/v3.json\n    artifact: ${yamlValue}`);
  expect(next).not.toBe(text);
  await writeFile(path, next);
}

/**
 * Proposes a new v4 at Staging whose run is `yamlValue`: a registered version's run is read from
 * base (and any edit of it is denied by `version.immutable`), so the run a change brings is met
 * where a change brings new evidence, in a version it registers.
 */
async function registerV4(yamlValue: string): Promise<void> {
  const path = join(repo.dir, TARGETS.manifest);
  const text = await readFile(path, 'utf8');
  const next = text.replace('aliases:', `  - version: 4\n    run: ${yamlValue}\n    stage: Staging\naliases:`);
  expect(next).not.toBe(text);
  await writeFile(path, next);
}

async function checkRefuses(label: string, message: RegExp, args: string[] = ['check', '--format', 'json']): Promise<void> {
  const before = await worktreeSnapshot(repo.dir);
  const r = await modelgateMeasured(repo.dir, args, label);
  expectBounded(r, label);
  expect(r.code, `${label}\n${r.stdout}${r.stderr}`).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toContain('canary-outside-the-repo');
  expect(await worktreeSnapshot(repo.dir)).toBe(before);
}

describe('run and artifact references in a manifest', () => {
  const long = 'runs/' + 'a'.repeat(5_000) + '.json';
  const cases: [string, RegExp][] = [
    ['../canary.json', /run '\.\.\/canary\.json' contains '\.\.'/],
    ['runs/../../canary.json', /contains '\.\.'/],
    ['"/ABS"', /is absolute/],
    ['"~/canary.json"', /is absolute/],
    ['"runs/\\0v3.json"', /contains a NUL byte/],
    ['"..\\\\canary.json"', /contains a backslash/],
    ['"C:/canary.json"', /is absolute/],
    ['file:///etc/passwd', /is a URI that modelgate cannot read/],
    [long, /is longer than 1024 characters/],
  ];
  const label = (v: string) => (v.length > 60 ? `${v.slice(0, 12)}… (${v.length} chars)` : v);
  it.each(cases.map(([v, m]) => [label(v), v, m] as const))('run: %s → exit 2', async (_label, value, message) => {
    await setV3('run', value.replace('/ABS', canary));
    await checkRefuses(`run: ${value.slice(0, 40)}`, message);
    // `validate` names the same problem, with the line.
    const v = await modelgate(repo.dir, ['validate']);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(new RegExp(`${TARGETS.manifest}:\\d+:\\d+ \\(at /versions/2/run\\)`));
  });

  it.each([
    ['../elsewhere', /contains '\.\.'/],
    ['"/ABS"', /is absolute/],
    ['"models/\\0x"', /NUL/],
  ])('artifact: %s → exit 2', async (value, message) => {
    await setV3('artifact', value.replace('/ABS', join(outside, 'elsewhere')));
    await checkRefuses(`artifact: ${value}`, message);
  });

  it('an artifact path inside a run record that climbs out → exit 2', async () => {
    await writeFile(join(repo.dir, 'runs/v4.json'), runRecord('run-v4', { val_auc: 0.882, latency_p99_ms: 8.4 }, { artifact: '../../elsewhere' }));
    await registerV4('runs/v4.json');
    await checkRefuses('record artifact ..', /runs\/v4\.json.*artifact '\.\.\/\.\.\/elsewhere' contains '\.\.'/s);
  });

  it('Unicode look-alikes of `.` and `/` are ordinary characters: nothing outside is reached (the run is missing: deny)', async () => {
    for (const lookalike of ['．．/canary.json', 'runs／v3.json', '\u2024\u2024/canary.json', 'runs/v3.json\u202e']) {
      await resetRepo(repo.dir);
      await registerV4(JSON.stringify(lookalike));
      const r = await modelgateMeasured(repo.dir, ['check', '--format', 'json'], `look-alike ${lookalike}`);
      expectBounded(r, lookalike);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as { transitions: { version: number; checks: { id: string; status: string; message: string }[] }[] };
      const v4 = report.transitions.find((t) => t.version === 4)!;
      expect(v4.checks.find((c) => c.id === 'run.exists')).toMatchObject({ status: 'fail' });
      expect(r.stdout).not.toContain('canary-outside-the-repo');
    }
  });
});

describe('symlinks that leave the repository', () => {
  it('a run record that is a symlink to a file outside (working tree) → exit 2, never read', async () => {
    await symlink('../../canary.json', join(repo.dir, 'runs/v4.json'));
    await registerV4('runs/v4.json');
    await checkRefuses('symlink file', /runs\/v4\.json' resolves outside the repository \(symlink\)/);
  });

  it('an absolute symlink → exit 2', async () => {
    await symlink(canary, join(repo.dir, 'runs/v4.json'));
    await registerV4('runs/v4.json');
    await checkRefuses('absolute symlink', /resolves outside the repository/);
  });

  it('a symlinked directory in the middle of the path → exit 2', async () => {
    await symlink('../elsewhere/runs', join(repo.dir, 'ext'));
    await registerV4('ext/v3.json');
    await checkRefuses('symlinked dir', /'ext\/v3\.json' resolves outside the repository/);
  });

  it('the same links committed: read from a commit (`check --head`), still refused', async () => {
    const start = (await repo.git(['rev-parse', 'HEAD'])).trim();
    try {
      await symlink('../elsewhere/runs', join(repo.dir, 'ext'));
      await registerV4('ext/v3.json');
      await repo.commitAll('a run behind a symlinked directory');
      await checkRefuses('committed symlinked dir', /'ext\/v3\.json' resolves outside the repository \(symlink to/, ['check', '--base', start, '--head', 'HEAD', '--format', 'json']);
      await repo.git(['reset', '-q', '--hard', start]);
      await symlink('../../canary.json', join(repo.dir, 'ext.json'));
      await registerV4('ext.json');
      await repo.commitAll('a run that is a symlink to a file outside');
      await checkRefuses('committed symlink file', /'ext\.json' resolves outside the repository \(symlink to/, ['check', '--base', start, '--head', 'HEAD', '--format', 'json']);
    } finally {
      await repo.git(['reset', '-q', '--hard', start]);
    }
  });

  it('promote of a version whose run is a symlink outside: never allowed, nothing written', async () => {
    await import('node:fs/promises').then((fs) => fs.rm(join(repo.dir, TARGETS.portableRun)));
    await symlink('../../canary.json', join(repo.dir, TARGETS.portableRun));
    const before = await worktreeSnapshot(repo.dir);
    const r = await modelgateMeasured(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'r', '--actor', 'alice', '--commit'], 'promote symlinked run');
    expectBounded(r, 'promote symlinked run');
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/runs\/v3\.json' resolves outside the repository/);
    expect(r.stdout + r.stderr).not.toContain('canary-outside-the-repo');
    expect(await worktreeSnapshot(repo.dir)).toBe(before);
    expect((await repo.git(['rev-list', '--count', 'HEAD'])).trim()).toBe('2');
  });

  // Decisions judge with refuseUnsafePaths, as check does: an escaping run is an input error.
  it('promote of a version whose run is a symlink outside exits 2, as check does', async () => {
    await import('node:fs/promises').then((fs) => fs.rm(join(repo.dir, TARGETS.portableRun)));
    await symlink('../../canary.json', join(repo.dir, TARGETS.portableRun));
    const r = await modelgateMeasured(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'r', '--actor', 'alice', '--dry-run'], 'promote symlinked run (exit)');
    expect(r.code).toBe(2);
  });

  it('a registry directory that is a symlink to manifests outside → exit 2', async () => {
    const fs = await import('node:fs/promises');
    await fs.rename(join(repo.dir, 'registry'), join(repo.dir, 'registry-real'));
    await symlink('../elsewhere', join(repo.dir, 'registry'));
    const r = await modelgateMeasured(repo.dir, ['validate'], 'registry symlink');
    expectBounded(r, 'registry symlink');
    expect(r.code).toBe(2);
    // Refused before the link is followed at all (SPEC section 1: no symlinked registry directory).
    expect(r.stderr).toMatch(/registry is a symlink in the working tree/);
    await fs.rm(join(repo.dir, 'registry'));
    await fs.rename(join(repo.dir, 'registry-real'), join(repo.dir, 'registry'));
  });

  it('an audit directory that is a symlink outside: promote --commit refuses and writes nothing there', async () => {
    await mkdir(join(outside, 'audit-out'), { recursive: true });
    around = await listing(); // the new empty directory is part of the baseline
    await symlink('../audit-out', join(repo.dir, 'audit'));
    const r = await modelgateMeasured(repo.dir, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', 'r', '--actor', 'alice', '--commit'], 'audit symlink');
    expectBounded(r, 'audit symlink');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/audit is a symlink in the working tree/);
    expect(await readdir(join(outside, 'audit-out'))).toEqual([]);
    expect((await repo.git(['rev-list', '--count', 'HEAD'])).trim()).toBe('2');
  });
});

describe('config directories', () => {
  it.each([
    ['registry: ../elsewhere', /registry '\.\.\/elsewhere' contains '\.\.'/],
    ['policies: /etc', /policies '\/etc' is absolute/],
    ['audit: "~/audit"', /audit '~\/audit' is absolute/],
    ['registry: "registry/\\0"', /NUL/],
  ])('%s → exit 2 (validate, and check once committed)', async (line, message) => {
    await writeFile(join(repo.dir, 'modelgate.yaml'), `${line}\n`);
    const v = await modelgateMeasured(repo.dir, ['validate'], `config ${line}`);
    expectBounded(v, line);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(message);
    expect(v.stderr).toMatch(/modelgate\.yaml:1:\d+/);
    const start = (await repo.git(['rev-parse', 'HEAD'])).trim();
    try {
      await repo.commitAll('hostile config');
      await proposePromotion(repo, 'manifest');
      await checkRefuses(`committed config ${line}`, message);
    } finally {
      await repo.git(['reset', '-q', '--hard', start]);
    }
  });
});

describe('model names and alias names given on the command line', () => {
  const names = [
    '../../etc/passwd',
    '/tmp/x',
    'registry/churn-predictor',
    '..',
    '.hidden',
    '-rf',
    'churn-predictor\u202e',
    '\u0441hurn-predictor', // Cyrillic с
    'churn\uff0fpredictor', // fullwidth solidus
    'x'.repeat(5_000),
    'churn predictor',
    '$(touch x)',
  ];
  it.each(names.map((n) => [JSON.stringify(n).slice(0, 40), n]))('%s → exit 2 for register, promote, status and audit', async (_label, name) => {
    const before = await worktreeSnapshot(repo.dir);
    for (const args of [
      ['register', name, '--run', 'runs/v3.json', '--actor', 'alice', '--commit'],
      ['promote', name, '3', '--to', 'Production', '--actor', 'alice', '--commit'],
      ['status', name],
      ['audit', name],
      ['audit', 'verify', name],
    ]) {
      const r = await modelgateMeasured(repo.dir, args, `${args[0]} ${name.slice(0, 20)}`);
      expectBounded(r, args.join(' ').slice(0, 60));
      // `audit verify` of a name that has no log has nothing to verify; every other command refuses.
      if (args[1] === 'verify') expect([0, 2]).toContain(r.code);
      else {
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
        // (`-rf` never reaches the command: it is an unknown option.)
        expect(r.stderr).toMatch(/is not a valid model name|no model named|Unknown option/);
      }
    }
    expect(await worktreeSnapshot(repo.dir)).toBe(before);
    expect((await repo.git(['rev-list', '--count', 'HEAD'])).trim()).toBe('2');
  });

  it.each([['@../../x'], ['@a/b'], ['@' + 'a'.repeat(5_000)], ['@ch\u0430mpion']].map(([a]) => [a!.slice(0, 20), a!]))('alias %s → exit 2', async (_label, alias) => {
    const r = await modelgateMeasured(repo.dir, ['promote', 'churn-predictor', '3', '--to', alias, '--actor', 'alice', '--commit'], `alias ${alias.slice(0, 20)}`);
    expectBounded(r, alias.slice(0, 20));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a valid alias/);
  });

  it('register --run with an escaping reference → exit 2, nothing written', async () => {
    await symlink('../../canary.json', join(repo.dir, 'runs', 'link.json'));
    for (const ref of ['../canary.json', canary, '~/canary.json', 'runs/link.json', 'runs/../../canary.json']) {
      const r = await modelgateMeasured(repo.dir, ['register', 'churn-predictor', '--run', ref, '--actor', 'alice', '--commit'], `register --run ${ref}`);
      expectBounded(r, ref);
      expect(r.code, `${ref}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/contains '\.\.'|is absolute|resolves outside the repository/);
    }
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('?? runs/link.json');
  });

  it('a manifest whose name is a look-alike of its file name, or of an existing model → exit 2', async () => {
    const text = await readFile(join(repo.dir, TARGETS.manifest), 'utf8');
    await writeFile(join(repo.dir, 'registry', '\u0441hurn-predictor.yaml'), text.replace('name: churn-predictor', 'name: \u0441hurn-predictor'));
    const r = await modelgateMeasured(repo.dir, ['validate'], 'look-alike manifest');
    expectBounded(r, 'look-alike manifest');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('registry/\u0441hurn-predictor.yaml:3:7 (at /name)');
  });
});
