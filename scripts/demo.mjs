#!/usr/bin/env node
// `npm run demo`: modelgate on the bundled example registry (examples/churn), in a throwaway
// git repository, as a user would run it. Needs `npm run build` first (`npm run demo` does it).
//
//   node scripts/demo.mjs [--keep]     --keep leaves the demo repository in place afterwards
//
// Each step prints the command, then its own output. A non-zero exit fails the demo loudly,
// except where the denial is the point of the step (the pull-request check).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(PROJECT, 'dist', 'cli.js');
const EXAMPLE = join(PROJECT, 'examples', 'churn');

const MODEL = 'churn-predictor';
const MANIFEST = `registry/${MODEL}.yaml`;
// The example's story (see examples/README.md): v3 is the champion, v4 the good candidate in
// Staging, v5 a registered candidate that regressed and dropped an input.
const CHAMPION = 3;
const CANDIDATE = 4;
const REGRESSED = 5;
// A run snapshotted from an MLflow tracking server (register --run runs:/<id>).
const SNAPSHOT = 'runs/churn-classifier/3c230151bf964df78cdeb657d6ddc136.json';

const IDENTITY = { name: 'demo', email: 'demo@example.com' };
const KEEP = process.argv.includes('--keep');
const TTY = Boolean(process.stdout.isTTY);
const COLOR = TTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

class DemoError extends Error {}

/**
 * Our own lines go out synchronously: the children write straight to the same descriptors
 * while spawnSync blocks, and an async pipe write (macOS) would land after their output.
 */
function write(fd, text) {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (err) {
      if (err.code !== 'EAGAIN') throw err; // a full non-blocking pipe: try again
    }
  }
}
const out = (text) => write(1, text);

const paint = (code) => (text) => (COLOR ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const cyan = paint('36');
const red = paint('31');

/**
 * The children's environment: the host's GitHub/AWS/CI variables would change what modelgate
 * does (actor, event, credentials), and the user's git config (signing, hooks) what git does.
 */
function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(GITHUB_|RUNNER_|INPUT_|AWS_|CI$|GIT_)/.test(k)) continue;
    if (/^MODELGATE_/.test(k) && k !== 'MODELGATE_DEBUG') continue;
    env[k] = v;
  }
  Object.assign(env, {
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
    GIT_PAGER: 'cat',
  });
  // The children write to our stdout, so they see a terminal exactly when we do.
  if (TTY && !process.env.NO_COLOR) env.FORCE_COLOR = '1';
  else delete env.FORCE_COLOR;
  return env;
}

const ENV = childEnv();

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

function heading(n, title, ...story) {
  out(`\n${bold(cyan(`── ${n}. ${title} `.padEnd(78, '─')))}\n`);
  for (const line of story) out(`${dim(line)}\n`);
}

/**
 * Runs a program with its output straight on our terminal (so colour and the order of stdout
 * and stderr are the program's own), after printing `shown` as the command line. Returns the
 * exit code (or, with `capture`, the quiet output) when the code is one of `expect`; anything
 * else fails the demo.
 */
function run(shown, file, args, { cwd, expect = [0], quiet = false, capture = false } = {}) {
  const pretty = shown.map(shellQuote).join(' ');
  if (!quiet) out(`\n${bold('$')} ${pretty}\n`);
  const stdio = quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'];
  const r = spawnSync(file, args, { cwd, env: ENV, stdio, timeout: 120_000, encoding: 'utf8' });
  if (r.error) throw new DemoError(`could not run \`${pretty}\`: ${r.error.message}`);
  if (r.signal) throw new DemoError(`\`${pretty}\` was stopped by ${r.signal}`);
  if (!expect.includes(r.status)) {
    const output = quiet ? `\n${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd() : '';
    throw new DemoError(`\`${pretty}\` exited with ${r.status}, expected ${expect.join(' or ')}${output}`);
  }
  return capture ? r.stdout : r.status;
}

/** `modelgate …`, run as `node dist/cli.js …` with the demo repository as working directory. */
const mg = (repo, args, opts = {}) => run(['modelgate', ...args], process.execPath, [CLI, ...args], { cwd: repo, ...opts });
const git = (repo, args, opts = {}) => run(['git', ...args], 'git', args, { cwd: repo, ...opts });

/** Points `alias` at `version` in the manifest's `aliases:` block, as a person would edit it. */
export function moveAlias(text, alias, version) {
  const re = new RegExp(`^(\\s+${alias}:\\s*)\\d+(.*)$`, 'm');
  if (!re.test(text)) throw new DemoError(`${MANIFEST} has no alias ${alias}`);
  return text.replace(re, `$1${version}$2`);
}

/**
 * Sets the `stage:` of one version in the manifest text, keeping every other byte (comments,
 * order, blank lines), as a person editing the file in a pull request would.
 */
export function setStage(text, version, stage) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*-\\s+version:\\s*${version}\\s*(#.*)?$`).test(l));
  if (start < 0) throw new DemoError(`${MANIFEST} has no \`- version: ${version}\` entry`);
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*-\s/.test(line) || /^\S/.test(line)) break; // the next version, or the next top-level key
    const m = /^(\s*stage:\s*)([^\s#]+)(.*)$/.exec(line);
    if (m) {
      lines[i] = `${m[1]}${stage}${m[3]}`;
      return lines.join('\n');
    }
  }
  throw new DemoError(`${MANIFEST}: version ${version} has no \`stage:\` line`);
}

/**
 * The story needs one transition allowed and one denied; the JSON report (stable, SPEC section
 * 5) says which, so a change to the example or the gate that breaks the story fails loudly.
 */
function verdicts(repo) {
  const text = run(['modelgate', 'check', '--format', 'json'], process.execPath, [CLI, 'check', '--format', 'json'], { cwd: repo, expect: [1], quiet: true, capture: true });
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    throw new DemoError(`\`modelgate check --format json\` did not print JSON:\n${text}`);
  }
  const decisionOf = (v) => report.transitions?.find((t) => t.model === MODEL && t.version === v && t.to !== null && !String(t.to).startsWith('@'))?.decision;
  if (decisionOf(CANDIDATE) !== 'allow' || decisionOf(REGRESSED) !== 'deny') {
    throw new DemoError(`the example's story no longer holds: expected v${CANDIDATE} allowed and v${REGRESSED} denied, got ${decisionOf(CANDIDATE)} and ${decisionOf(REGRESSED)}`);
  }
  const list = (d) => report.transitions.filter((t) => t.decision === d).map((t) => `v${t.version} ${t.from ?? 'new'} -> ${t.to}`).join(', ');
  return `denied. Allowed: ${list('allow')}. Denied: ${list('deny')}.`;
}

/** The run directory of the regressed version, from the manifest text. */
function v5Run(manifest) {
  const m = new RegExp(`- version: ${REGRESSED}\\n\\s+run: (\\S+)`).exec(manifest);
  if (!m) throw new DemoError(`v${REGRESSED} has no run in ${MANIFEST}`);
  return m[1];
}

function prepare() {
  if (!existsSync(CLI)) throw new DemoError(`${CLI} does not exist: run \`npm run build\` first (\`npm run demo\` does both)`);
  if (!existsSync(join(EXAMPLE, MANIFEST))) throw new DemoError(`the example registry is missing: ${join(EXAMPLE, MANIFEST)}`);
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-demo-'));
  const repo = join(dir, 'churn-models');
  cpSync(EXAMPLE, repo, { recursive: true });
  git(repo, ['init', '-q', '-b', 'main'], { quiet: true });
  // --force: a user's global excludes (mlruns/, wandb/, *.bin …) must not drop example files.
  git(repo, ['add', '--all', '--force', '.'], { quiet: true });
  git(repo, ['-c', `user.name=${IDENTITY.name}`, '-c', `user.email=${IDENTITY.email}`, 'commit', '-q', '-m', 'Churn models registry: three models, their runs and policies'], { quiet: true });
  return { dir, repo };
}

function story(repo) {
  heading(1, 'validate: is the registry well-formed?',
    'Four models: churn-predictor (MLflow runs), ltv-forecaster (W&B runs), fraud-scorer (portable',
    'JSON run records), churn-classifier (a snapshot of a run on an MLflow tracking server), and the',
    'policies that guard them.');
  mg(repo, ['validate']);

  heading(2, 'status: what serves, what waits',
    `churn-predictor v${CHAMPION} is the champion in Production; v${CANDIDATE} has been in Staging since November.`);
  mg(repo, ['status']);
  const snapshot = JSON.parse(readFileSync(join(repo, SNAPSHOT), 'utf8'));
  out(`\n${dim(`churn-classifier v1 was registered from an MLflow tracking server (\`register --run runs:/${snapshot.run_id}\`); its snapshot ${SNAPSHOT} says where it came from:`)}\n`);
  out(`${JSON.stringify(snapshot.source, null, 2)}\n`);

  heading(3, 'a pull request, judged before anyone merges it',
    `The PR moves v${CANDIDATE} to Production (archiving v${CHAMPION}), @champion with it, and v${REGRESSED} to Staging.`,
    '`modelgate check` judges the working tree against HEAD, with the policies of HEAD (never those of the change).');
  const original = readFileSync(join(repo, MANIFEST), 'utf8');
  let edited = setStage(original, CHAMPION, 'Archived');
  edited = setStage(edited, CANDIDATE, 'Production');
  edited = setStage(edited, REGRESSED, 'Staging');
  edited = moveAlias(edited, 'champion', CANDIDATE);
  writeFileSync(join(repo, MANIFEST), edited);
  git(repo, ['--no-pager', 'diff', '--', MANIFEST]);
  mg(repo, ['check'], { expect: [1] }); // exit 1 (denied) is the point of this step
  out(`${dim(`exit 1: ${verdicts(repo)}`)}\n`);
  writeFileSync(join(repo, MANIFEST), original); // close the PR unmerged: back to the committed state
  const dirty = run(['git', 'status', '--porcelain'], 'git', ['status', '--porcelain'], { cwd: repo, quiet: true, capture: true });
  if (dirty.trim() !== '') throw new DemoError(`the demo repository is not clean after undoing the PR edit:\n${dirty}`);

  heading(4, 'a doctored pull request: better evidence for a registered version',
    `This PR appends a better val_auc point to v${REGRESSED}'s committed MLflow run and proposes it for`,
    'Staging. A registered version is judged on its evidence as the base holds it, and any edit of it',
    'is denied by version.immutable (its pinned evidence digest no longer matches either).');
  const metric = join(repo, v5Run(original), 'metrics', 'val_auc');
  const metricText = readFileSync(metric, 'utf8');
  writeFileSync(metric, `${metricText.trimEnd()}\n${Date.now()} 0.97 999\n`);
  writeFileSync(join(repo, MANIFEST), setStage(original, REGRESSED, 'Staging'));
  git(repo, ['--no-pager', 'diff', '--stat']);
  mg(repo, ['check'], { expect: [1] }); // denied is the point
  const doctored = JSON.parse(run(['modelgate', 'check', '--format', 'json'], process.execPath, [CLI, 'check', '--format', 'json'], { cwd: repo, expect: [1], quiet: true, capture: true }));
  const immutable = doctored.transitions?.some((t) => t.version === REGRESSED && t.checks.some((c) => c.id === 'version.immutable' && c.status === 'fail'));
  if (!immutable) throw new DemoError(`the doctored PR was not denied by version.immutable: ${JSON.stringify(doctored).slice(0, 400)}`);
  out(`${dim('exit 1: denied by version.immutable; the judged val_auc is the committed one')}\n`);
  writeFileSync(metric, metricText);
  writeFileSync(join(repo, MANIFEST), original);

  heading(5, `promote: v${CANDIDATE} to Production, for real`,
    'The gate runs again; modelgate then edits the manifest (only the lines that change), appends a',
    'hash-chained audit record and commits both, with trailers naming the decision and the record.',
    '`--alias champion` moves @champion in the same decision: its rule only allows a Production version.');
  mg(repo, ['promote', MODEL, String(CANDIDATE), '--to', 'Production', '--alias', 'champion', '--reason', 'beats the champion on val_auc and clears the enterprise slice', '--actor', 'demo', '--commit']);
  git(repo, ['--no-pager', 'log', '-1', '--stat']);

  heading(6, 'rollback: one command back to the previous champion',
    'Rollback restores the version that held Production before, archives the current one, and',
    '@champion (whose rule refuses an Archived version) goes back with it.');
  mg(repo, ['rollback', MODEL, '--reason', 'enterprise offer take-up fell overnight; back to the previous champion while we investigate', '--actor', 'demo', '--commit']);
  git(repo, ['--no-pager', 'log', '--oneline', '-3']);

  heading(7, 'audit: the history, and proof that it is intact',
    'Who did what, when, why and on what evidence; verify re-checks the hash chain against git history.');
  mg(repo, ['audit']);
  mg(repo, ['audit', 'verify']);
}

function main() {
  let dir;
  try {
    const prepared = prepare();
    dir = prepared.dir;
    out(`${bold('modelgate demo')} ${dim(`— example registry copied to ${prepared.repo} and committed`)}\n`);
    story(prepared.repo);
    out(`\n${bold('Done.')} ${KEEP ? `The demo repository is kept at ${prepared.repo}` : dim('(run with --keep to inspect the demo repository afterwards)')}\n`);
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    const message = err instanceof DemoError ? err.message : (err?.stack ?? String(err));
    write(2, `\n${red(bold('demo failed:'))} ${message}\n`);
    if (dir) write(2, `the demo repository is kept for inspection at ${join(dir, 'churn-models')}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
