#!/usr/bin/env node
// `npm run bench`: builds (npm script), generates or reuses the synthetic fixtures, measures
// each figure against its floor in the same run, and prints ONE JSON object to stdout
// (progress goes to stderr). See bench/README.md.
//
//   node bench/run.mjs [--quick] [--only a,b] [--runs N] [--dist DIR] [--work DIR] [--full-checkout]
//
// --quick         tiny sizes (the smoke test); figures are printed but targets mean little
// --only          a comma-separated subset of figure names
// --runs N        rounds per figure (default: per figure, see CONFIG)
// --dist DIR      the bundle to measure (default: $MODELGATE_DIST_DIR, else dist/)
// --work DIR      where fixtures are generated and cached (default: bench/.work)
// --full-checkout check out every run of every model (default: a sparse working tree)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registryRepo, metricRun } from './lib/fixtures.mjs';
import { bundleProduct } from './lib/bundle.mjs';
import { checkSmallPr } from './figures/checkSmallPr.mjs';
import { validateAll } from './figures/validateAll.mjs';
import { metricHistory } from './figures/metricHistory.mjs';
import { auditVerify } from './figures/auditVerify.mjs';
import { gitReads } from './figures/gitReads.mjs';
import { coldStart } from './figures/coldStart.mjs';
import { s3Hash } from './figures/s3Hash.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(BENCH, '..');

/** Sizes and rounds. The full configuration is the issue's; quick is for the smoke test. */
export const CONFIG = {
  full: {
    seed: 'modelgate-bench-1',
    sizes: [10, 100, 1000],
    versions: 100,
    points: 50,
    records: 1000,
    changed: [0, 1, 2, 3, 4],
    metricLines: 1_000_000,
    s3Mb: 256,
    warmup: 1,
    auditTimeoutMs: 300_000,
    auditAlsoAt: 100,
    runs: { check: 5, validate: 3, metric: 5, audit: 3, git: 7, cold: 15, s3: 3 },
  },
  quick: {
    seed: 'modelgate-bench-1',
    sizes: [5, 6, 8],
    versions: 4,
    points: 10,
    records: 30,
    changed: [0, 1, 2, 3, 4],
    metricLines: 5_000,
    s3Mb: 2,
    warmup: 0,
    auditTimeoutMs: 120_000,
    auditAlsoAt: 0,
    runs: { check: 1, validate: 1, metric: 1, audit: 1, git: 1, cold: 2, s3: 1 },
  },
};

const FIGURES = {
  check_small_pr: checkSmallPr,
  validate_all: validateAll,
  metric_history: metricHistory,
  audit_verify: auditVerify,
  git_reads: gitReads,
  cold_start: coldStart,
  s3_hash: s3Hash,
};

function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      runs: { type: 'string' },
      dist: { type: 'string' },
      work: { type: 'string' },
      'full-checkout': { type: 'boolean' },
    },
  });
  const base = values.quick ? CONFIG.quick : CONFIG.full;
  const rounds = values.runs === undefined ? undefined : Number(values.runs);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) throw new Error('--runs takes a positive integer');
  const config = { ...base, runs: rounds ? Object.fromEntries(Object.keys(base.runs).map((k) => [k, rounds])) : base.runs, fullCheckout: values['full-checkout'] === true };
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(FIGURES);
  for (const name of only) if (!FIGURES[name]) throw new Error(`unknown figure '${name}' (figures: ${Object.keys(FIGURES).join(', ')})`);
  const dist = resolve(values.dist ?? process.env.MODELGATE_DIST_DIR ?? join(PROJECT, 'dist'));
  if (!existsSync(join(dist, 'cli.js'))) throw new Error(`no bundle at ${dist}: run npm run build (or pass --dist)`);
  const workDir = resolve(values.work ?? join(BENCH, '.work'));
  return { config, only, dist, workDir, quick: values.quick === true };
}

function machine(opts) {
  const cpu = cpus();
  let git = '';
  try {
    git = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim().replace(/^git version /, '');
  } catch {
    git = 'unavailable';
  }
  return {
    date: new Date().toISOString(),
    cpus: cpu.length,
    cpu_model: cpu[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 1024 ** 3),
    platform: `${process.platform} ${release()}`,
    node: process.version,
    git,
    load_avg_start: loadavg().map((x) => Math.round(x * 100) / 100),
    dist: opts.dist,
    quick: opts.quick,
    sizes: opts.config.sizes,
  };
}

export async function main(argv) {
  const opts = options(argv);
  mkdirSync(opts.workDir, { recursive: true });
  const log = (text) => process.stderr.write(`${text}\n`);
  const { config } = opts;
  const registries = new Map();
  let bundle;
  const ctx = {
    config,
    dist: opts.dist,
    workDir: opts.workDir,
    benchDir: BENCH,
    projectDir: PROJECT,
    log,
    /** The registry fixture of `models` models (generated once per parameter set). */
    registry(models) {
      if (!registries.has(models)) {
        const params = { seed: config.seed, models, versions: config.versions, points: config.points, records: config.records, changed: config.changed, ...(config.fullCheckout ? { fullCheckout: true } : {}) };
        registries.set(models, registryRepo(opts.workDir, params, log));
      }
      return registries.get(models);
    },
    metricRun: () => metricRun(opts.workDir, { seed: config.seed, lines: config.metricLines }, log),
    bundle: () => (bundle ??= bundleProduct(opts.workDir)),
  };

  const result = { machine: machine(opts) };
  for (const name of opts.only) {
    log(`${name}`);
    const started = performance.now();
    try {
      result[name] = await FIGURES[name](ctx);
    } catch (err) {
      result[name] = { ok: false, error: String(err?.stack ?? err).slice(0, 2000) };
    }
    result[name].seconds = Math.round((performance.now() - started) / 100) / 10;
    log(`  -> ${JSON.stringify(headline(result[name]))}`);
  }
  result.machine.load_avg_end = loadavg().map((x) => Math.round(x * 100) / 100);
  const figures = opts.only.map((n) => [n, result[n]]);
  result.summary = {
    held: figures.filter(([, f]) => f.ok === true).map(([n]) => n),
    missed: figures.filter(([, f]) => f.ok === false).map(([n]) => n),
    informational: figures.filter(([, f]) => f.ok !== true && f.ok !== false).map(([n]) => n),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return result;
}

function headline(f) {
  const { files_read: files, loads: _loads, ...rest } = f;
  const out = {};
  for (const [k, v] of Object.entries(rest)) if (typeof v !== 'object' || k === 'ms') out[k] = v;
  if (files) out.files_read_ok = files.ok;
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`bench: ${err?.message ?? err}\n`);
    process.exitCode = 1;
  });
}
