/**
 * Injection: run ids, tag keys and values, params, metric names, waiver reasons, `--reason`
 * and `--actor` full of markdown, HTML, @-mentions, math, terminal escapes, bidi overrides,
 * `::` workflow commands (at line starts, after `%0A`, after CR and U+2028) and shell
 * metacharacters. Every output the CLI writes (check, promote, audit, audit verify, status,
 * errors) is checked as what it is rendered by: a terminal or CI log (no line a runner would
 * take as a command, no raw control character), GitHub markdown (no tag, link, image, mention
 * or math from user text), JSON (parses, and holds the text exactly). A commit's trailers stay
 * exactly modelgate's. And no shell ever runs: every `sh`/`bash` on PATH is a trap, and the
 * files the payloads would create never appear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { modelgate, type RunResult } from '../helpers/cli';
import { makeRegistry, MANIFEST, POLICY, runRecord } from '../helpers/registry';
import type { TestRepo } from '../helpers/git';
import { STACK_TRACE } from './fixtures/harness';

let scratch: string;
let traps: string;
let pwned: string[];
let H: string;
/** H without NUL (an argument cannot hold one). */
let HA: string;
/** A short hostile id (run ids are at most 256 characters). */
const SHORT = '<img src=x onerror=alert(1)>::error::id\n::error::x @acme/ml-leads $(touch /nonexistent) `id`';
const repos: TestRepo[] = [];

/** The hostile text: every construct at once, with shell payloads that would leave files behind. */
function hostile(markers: string[]): string {
  const [a, b, c] = markers;
  return [
    '<img src=x onerror=alert(1)> <details><summary>open me</summary> <script>alert(2)</script>',
    '**bold** _it_ [link](http://evil.example) ![img](http://evil.example/i.png) @acme/ml-leads #1 `code` | pipe ~~s~~ $x^2$ \\',
    '::error::inline %0A::set-output name=decision::allow',
    '::error file=registry/churn-predictor.yaml,line=1::injected',
    '  ::add-mask::secret\r::stop-commands::tok\u2028::warning::after U+2028\u0085::notice::after NEL',
    `\u001b[31mred\u001b[0m \u202eevil\u202c \u0000nul $(touch ${a}) \`touch ${b}\`; rm -rf /nonexistent-${randomUUID()}; echo x > ${c} | tee`,
  ].join('\n');
}

/** A hostile metric name that the policy's `lat*` glob matches. */
const METRIC = () => `lat${H.replace(/\//g, '')}`;

/** A trap named like each shell: records that it was called, then does nothing. */
async function makeShellTraps(dir: string, marker: string): Promise<void> {
  for (const name of ['sh', 'bash', 'dash', 'zsh']) {
    const path = join(dir, name);
    await writeFile(path, `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(marker)}, ${JSON.stringify(name)} + ' ' + process.argv.slice(2).join(' ') + '\\n');\n`);
    await chmod(path, 0o755);
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mg-inject-'));
  pwned = [1, 2, 3].map((i) => join(scratch, `pwned-${i}`));
  H = hostile(pwned);
  HA = H.replace(/\u0000/g, '');
  traps = join(scratch, 'bin');
  await import('node:fs/promises').then((fs) => fs.mkdir(traps));
  await makeShellTraps(traps, join(scratch, 'shell-called'));
});

afterAll(async () => {
  for (const r of repos) await r.cleanup();
  // No payload ran, and no shell was started by modelgate (or by git on its behalf).
  for (const p of pwned) expect(existsSync(p), p).toBe(false);
  expect(existsSync(join(scratch, 'shell-called'))).toBe(false);
  await rm(scratch, { recursive: true, force: true });
});

/** `modelgate` with the shell traps first on PATH. */
function mg(repo: TestRepo, args: string[]): Promise<RunResult> {
  return modelgate(repo.dir, args, { PATH: `${traps}:${process.env.PATH ?? ''}` });
}

const POLICY_WITH_TAGS = POLICY.replace(
  '  Production:\n    from: [Staging]\n',
  '  Production:\n    from: [Staging]\n    tags:\n      required: [data_version]\n      match: { data_version: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }\n',
).replace('      - { name: latency_p99_ms, max: 10, direction: lower }', '      - { name: "lat*", max: 10, direction: lower }');

/** A registry whose v3 run carries the hostile text everywhere a run can; `deny` makes it fail on it too. */
async function hostileRegistry(deny: boolean): Promise<TestRepo> {
  // A glob's `*` stops at `/` (metric keys nest like paths): the name drops its slashes.
  const metrics: Record<string, number> = { val_auc: 0.882, latency_p99_ms: 8.4, [METRIC()]: deny ? 99 : 1 };
  const record = runRecord(`run-${SHORT}`, metrics, {
    params: { random_seed: H, learning_rate: '0.03' },
    tags: { data_version: deny ? H : '2026-10-31', [H]: H, 'mlflow.source.git.commit': '3f7c2e8d'.padEnd(40, '0') },
  });
  const waiver = `waivers:\n  - { check: "tag:data_version.match", model: churn-predictor, version: 9, reason: ${JSON.stringify(H)}, expires: 2099-12-31 }\n`;
  const repo = await makeRegistry({ 'runs/v3.json': record, 'policies/churn.yaml': POLICY_WITH_TAGS + waiver });
  repos.push(repo);
  return repo;
}

async function propose(repo: TestRepo): Promise<void> {
  await repo.write(
    'registry/churn-predictor.yaml',
    MANIFEST.replace('stage: Production     # current champion', 'stage: Archived').replace(/(run: runs\/v3\.json.*\n\s+stage: )Staging/, '$1Production'),
  );
}

/** What a terminal or a CI log shows: one line per line, nothing that acts. */
function expectSafeForLog(text: string, what: string): void {
  const lines = text.split('\n');
  for (const line of lines) expect(line, `${what}: a line a runner would run as a command`).not.toMatch(/^\s*::/);
  // eslint-disable-next-line no-control-regex
  expect(text, `${what}: raw control or bidi characters`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  expect(text, `${what}: stack trace`).not.toMatch(STACK_TRACE);
}

/** What GitHub renders: only modelgate's own markup is live. */
function expectInertMarkdown(md: string, what: string): void {
  expectSafeForLog(md, what);
  expect(md, `${what}: html`).not.toMatch(/<(img|script|a |iframe)/i);
  expect(md, `${what}: a user's <summary>`).not.toContain('<summary>open me');
  expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
  for (const m of md.matchAll(/<details>(.*)/g)) expect(m[1], `${what}: details are modelgate's own`).toMatch(/^<summary>[^<]*<\/summary>$/);
  expect(md, `${what}: mention`).not.toMatch(/@(?!\u200d)acme/);
  expect(md, `${what}: link or image`).not.toMatch(/(^|[^\\])\]\(http/);
  expect(md, `${what}: math`).not.toContain('$x^2$');
  expect(md, `${what}: emphasis`).not.toMatch(/(^|[^\\])\*\*bold/);
}

function expectJson(text: string, what: string): unknown {
  expect(text.split('\n').filter(Boolean), `${what}: one JSON document`).toHaveLength(1);
  expectSafeForLog(text.replace(/\\u[0-9a-f]{4}|\\./g, ''), what);
  return JSON.parse(text) as unknown;
}

describe('a denied change whose run is full of hostile text', () => {
  let repo: TestRepo;
  beforeAll(async () => {
    repo = await hostileRegistry(true);
    await propose(repo);
  });

  it('check --format text: escaped for the terminal and the CI log', async () => {
    for (const args of [['check'], ['check', '--verbose']]) {
      const r = await mg(repo, args);
      expect(r.code, r.stderr).toBe(1);
      expectSafeForLog(r.stdout + r.stderr, args.join(' '));
      expect(r.stdout).toContain('tag:data_version.match');
      expect(r.stdout, r.stdout).toMatch(/\\(x1b|u001b)\[31m/); // the escape is shown as text, never sent
    }
  });

  it('check --format markdown: inert on GitHub', async () => {
    const r = await mg(repo, ['check', '--format', 'markdown']);
    expect(r.code).toBe(1);
    expectInertMarkdown(r.stdout, 'check markdown');
    expect(r.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('check --format json: the exact text, as data', async () => {
    const r = await mg(repo, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = expectJson(r.stdout, 'check json') as { transitions: { checks: { id: string; message: string }[] }[] };
    const ids = report.transitions.flatMap((t) => t.checks.map((c) => c.id));
    expect(ids).toContain(`metric:${METRIC()}.max`);
    const match = report.transitions.flatMap((t) => t.checks).find((c) => c.id === 'tag:data_version.match');
    expect(match?.message).toContain(H.slice(0, 40));
  });

  it('the hostile waiver reason and policy text stay inert in every format', async () => {
    // The waiver names another version: reported as unused with its reason.
    for (const format of ['text', 'markdown']) {
      const r = await mg(repo, ['check', '--format', format, '--verbose']);
      if (format === 'markdown') expectInertMarkdown(r.stdout, 'waiver markdown');
      else expectSafeForLog(r.stdout, 'waiver text');
    }
  });
});

describe('an allowed promotion with hostile run text, reason and actor', () => {
  let repo: TestRepo;
  beforeAll(async () => {
    repo = await hostileRegistry(false);
  });

  it('promote --dry-run in every format', async () => {
    for (const format of ['text', 'markdown', 'json']) {
      const r = await mg(repo, ['promote', 'churn-predictor', '3', '--to', 'Production', '--dry-run', '--reason', HA, '--actor', HA, '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      if (format === 'json') expectJson(r.stdout, 'promote json');
      else if (format === 'markdown') expectInertMarkdown(r.stdout, 'promote markdown');
      else expectSafeForLog(r.stdout + r.stderr, 'promote text');
    }
    expect((await repo.git(['status', '--porcelain'])).trim()).toBe('');
  });

  it('promote --commit: the commit carries exactly modelgate’s trailers; the record keeps the exact text', async () => {
    const r = await mg(repo, ['promote', 'churn-predictor', '3', '--to', 'Production', '--reason', HA, '--actor', HA, '--commit']);
    expect(r.code, r.stderr).toBe(0);
    expectSafeForLog(r.stdout + r.stderr, 'promote --commit');
    const message = await repo.git(['log', '-1', '--format=%B']);
    expect(message.split('\n')[0]).toBe('modelgate: promote churn-predictor v3 Staging -> Production');
    const trailers = (await gitInput(repo.dir, ['interpret-trailers', '--parse'], message)).trim().split('\n');
    const lines = (await readAudit(repo)).map((rec) => [
      'Modelgate-Model: churn-predictor',
      `Modelgate-Version: ${rec.version}`,
      `Modelgate-Transition: ${rec.from} -> ${rec.to}`,
      `Modelgate-Audit: ${rec.hash}`,
    ]);
    expect(trailers).toEqual(lines.flat());
    // git's own view of the trailers agrees.
    expect((await repo.git(['log', '-1', '--format=%(trailers:key=Modelgate-Model,valueonly)'])).trim().split('\n')).toEqual(['churn-predictor', 'churn-predictor']);
    const [first] = await readAudit(repo);
    expect(first).toMatchObject({ reason: HA.trim(), actor: HA });
  });

  it('audit, audit verify and status render the hostile reason and actor inertly', async () => {
    for (const args of [
      ['audit'],
      ['audit', '--format', 'markdown'],
      ['audit', '--format', 'json'],
      ['audit', 'verify'],
      ['audit', 'verify', '--format', 'markdown'],
      ['status'],
      ['status', '--format', 'markdown'],
    ]) {
      const r = await mg(repo, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const what = args.join(' ');
      if (args.includes('json')) {
        const records = expectJson(r.stdout, what) as { reason: string; actor: string }[];
        expect(records[0]).toMatchObject({ actor: HA });
      } else if (args.includes('markdown')) expectInertMarkdown(r.stdout, what);
      else expectSafeForLog(r.stdout + r.stderr, what);
    }
  });
});

describe('hostile text in arguments that end in an error message', () => {
  it('every error is one escaped line, whatever the argument held', async () => {
    const repo = await makeRegistry();
    repos.push(repo);
    const line = 'x\n::error::pwned\r::warning::y\u2028::notice::z \u001b[2J';
    for (const args of [
      [line],
      ['status', line],
      ['promote', 'churn-predictor', '3', '--to', line],
      ['promote', 'churn-predictor', line, '--to', 'Production'],
      ['check', '--base', line],
      ['check', '--format', line],
      ['resolve', `models:/${line}`],
      ['audit', line],
      ['register', 'churn-predictor', '--run', line, '--actor', 'alice'],
      ['register', 'churn-predictor', '--run', `runs/${line}.json`, '--actor', 'alice'],
    ]) {
      const r = await mg(repo, args);
      expect(r.code, args.join(' ')).toBe(2);
      expectSafeForLog(r.stdout + r.stderr, args.join(' ').slice(0, 40));
      expect(r.stderr).toMatch(/^error: .*(\\n|\\x0a)::error::pwned/m);
    }
    expect(await readdir(scratch)).not.toContain('shell-called');
  });
});

async function readAudit(repo: TestRepo): Promise<{ version: number; from: string; to: string; hash: string; reason: string; actor: string }[]> {
  const text = await import('node:fs/promises').then((fs) => fs.readFile(join(repo.dir, 'audit/churn-predictor.jsonl'), 'utf8'));
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { version: number; from: string; to: string; hash: string; reason: string; actor: string });
}

function gitInput(cwd: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin?.end(input);
  });
}
