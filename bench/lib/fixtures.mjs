// Generated inputs, cached: a fixture is rebuilt only when its parameters or the generator's
// own source change (the cache key hashes both), so a second `npm run bench` starts measuring
// at once. Each fixture directory gets READY.json last: a half-built one is never reused.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FastImport, git } from './gitImport.mjs';
import { streamFor } from './random.mjs';
import {
  CONFIG_YAML,
  DOMAINS,
  PRE_ADOPTION_COMMITS,
  PR_TIME,
  auditLines,
  experimentMeta,
  manifestYaml,
  modelName,
  modelPlan,
  policyYaml,
  runFiles,
} from './synthetic.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const GENERATOR_FILES = ['random.mjs', 'synthetic.mjs', 'gitImport.mjs', 'fixtures.mjs'].map((f) => join(HERE, f));

/** Changes whenever the generator's code does: old fixtures are then not reused. */
function generatorVersion() {
  const h = createHash('sha256');
  for (const f of GENERATOR_FILES) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

function cacheKey(kind, params) {
  return createHash('sha256').update(JSON.stringify({ kind, params, generator: generatorVersion() })).digest('hex').slice(0, 16);
}

/**
 * Returns the fixture's READY.json (plus `dir`), building it first when it is not cached.
 * @template T
 * @param {string} workDir @param {string} kind @param {object} params
 * @param {(dir: string) => Promise<T>} build
 * @param {(text: string) => void} log
 */
async function cached(workDir, kind, params, build, log) {
  const dir = join(workDir, `${kind}-${cacheKey(kind, params)}`);
  const ready = join(dir, 'READY.json');
  if (existsSync(ready)) return resolved(JSON.parse(readFileSync(ready, 'utf8')), dir, true);
  // Older generations of the same fixture are stale (other parameters or generator code): they
  // would only fill the disk (the 1,000-model registry takes ~2.5 GB).
  for (const name of existsSync(workDir) ? readdirSync(workDir) : []) {
    if (name.startsWith(`${kind}-`) && /^[0-9a-f]{16}$/.test(name.slice(kind.length + 1))) rmSync(join(workDir, name), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  log(`generating ${kind} ${JSON.stringify(params)} in ${dir}`);
  const started = performance.now();
  const info = await build(dir);
  const out = { kind, params, ...info, generatedSeconds: Math.round((performance.now() - started) / 100) / 10 };
  writeFileSync(ready, JSON.stringify(out, null, 2));
  return resolved(out, dir, false);
}

/** `repo` and `root` are stored relative to the fixture directory (it may be moved or copied). */
function resolved(info, dir, wasCached) {
  const out = { ...info, dir, cached: wasCached };
  for (const key of ['repo', 'root']) if (typeof out[key] === 'string') out[key] = join(dir, out[key]);
  return out;
}

const sha256 = (x) => createHash('sha256').update(x).digest('hex');

/**
 * A registry repository: `main` holds the base state, branch `pr` one commit on top that
 * promotes version N of each `changed` model to Production (written as `modelgate promote
 * --commit` would: manifest and audit log), and the working tree is checked out at `pr`.
 * @param {{ seed: string, models: number, versions: number, points: number, records: number, changed: number[], fullCheckout?: boolean }} p
 */
export function registryRepo(workDir, p, log) {
  return cached(workDir, `registry-${p.models}m`, p, async (dir) => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    await git(repo, ['init', '-q', '-b', 'main']);

    // Phase 1: the history before the audit trail was adopted (its commits are named by
    // records' source.commit, so they must exist before the records are written).
    const fi1 = new FastImport(repo);
    const policyV1 = (d) => policyYaml(d).replace(/\nenforcement:[\s\S]*$/, '\n');
    await fi1.commit({ ref: 'refs/heads/main', message: 'registry: configuration', time: Date.parse('2022-11-01T09:00:00Z'), files: [['modelgate.yaml', CONFIG_YAML], ['README.md', '# ML model registry (synthetic benchmark repository)\n']] });
    await fi1.commit({ ref: 'refs/heads/main', message: 'policies: one per team', time: Date.parse('2022-11-15T09:00:00Z'), files: DOMAINS.map((d) => [`policies/${d.name}.yaml`, policyV1(d)]) });
    await fi1.commit({ ref: 'refs/heads/main', message: 'policies: latency over budget only warns', time: Date.parse('2022-12-01T09:00:00Z'), files: DOMAINS.map((d) => [`policies/${d.name}.yaml`, policyYaml(d)]) });
    await fi1.done();
    const sourceCommits = (await git(repo, ['rev-list', '--reverse', 'main'])).trim().split('\n');
    if (sourceCommits.length !== PRE_ADOPTION_COMMITS) throw new Error('unexpected pre-adoption history');

    const policyDigest = (d) => 'sha256:' + sha256(`${sha256(policyYaml(d))}  policies/${d.name}.yaml\n`);
    const stats = { files: 0, bytes: 0, records: 0 };
    const count = (path, content) => {
      stats.files++;
      stats.bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
      return [path, content];
    };
    const modelFiles = (i, head) => {
      const plan = modelPlan(p.seed, i, p);
      const digests = [];
      const runs = [];
      for (const v of plan.versions) {
        const r = runFiles(plan, v, p.points);
        digests.push(r.digest);
        runs.push(r.files);
      }
      const events = head ? plan.events : plan.events.filter((e) => !e.inPr);
      const audit = [...auditLines(plan, digests, events, sourceCommits, policyDigest(plan.domain))];
      return { plan, runs, manifest: manifestYaml(plan, digests, events), audit: audit.join('\n') + '\n', records: audit.length };
    };

    // Phase 2: adoption (everything, at the base state), then the pull request.
    const t0 = performance.now();
    const fi2 = new FastImport(repo);
    await fi2.commit({
      ref: 'refs/heads/main',
      from: sourceCommits[sourceCommits.length - 1],
      message: 'registry: adopt modelgate (manifests, runs and audit trail)',
      time: Date.parse('2026-06-30T18:00:00Z'),
      files: (function* () {
        for (let i = 0; i < p.models; i++) {
          const m = modelFiles(i, false);
          yield count(...experimentMeta(m.plan));
          for (const files of m.runs) for (const [path, content] of files) yield count(path, content);
          yield count(`registry/${m.plan.name}.yaml`, m.manifest);
          yield count(`audit/${m.plan.name}.jsonl`, m.audit);
          stats.records += m.records;
          if (i % 100 === 99) log(`  ${i + 1}/${p.models} models (${Math.round((performance.now() - t0) / 1000)} s)`);
        }
      })(),
    });
    const changed = p.changed.filter((i) => i < p.models);
    let prRecords = 0;
    await fi2.commit({
      ref: 'refs/heads/pr',
      from: 'refs/heads/main',
      message: `modelgate: promote ${changed.length} models to Production\n\nModelgate-Transition: Staging -> Production\n`,
      time: PR_TIME + 3_600_000,
      files: (function* () {
        for (const i of changed) {
          const m = modelFiles(i, true);
          prRecords += m.plan.events.filter((e) => e.inPr).length;
          yield [`registry/${m.plan.name}.yaml`, m.manifest];
          yield [`audit/${m.plan.name}.jsonl`, m.audit];
        }
      })(),
    });
    await fi2.done();

    // The working tree: everything, or (default) a sparse checkout without the runs of the
    // models the PR does not touch. The index lists every file either way, so git's cost is
    // the same; only files a correct check never opens are left out (an attempt to open one
    // still shows in files_read, as a failed open). 1.8M small files take ~10 minutes to write
    // on a VM disk, for a figure they do not change.
    if (!p.fullCheckout) {
      const experiments = changed.map((i) => `mlruns/${modelPlan(p.seed, i, p).experiment}`);
      await git(repo, ['sparse-checkout', 'set', '--cone', 'registry', 'policies', 'audit', ...experiments]);
    }
    log(`  imported ${stats.files} files in ${Math.round((performance.now() - t0) / 1000)} s; checking out ${p.fullCheckout ? 'all of them' : 'a sparse tree'}`);
    await git(repo, ['-c', 'checkout.workers=4', 'checkout', '-q', '-f', 'pr']);
    await git(repo, ['config', 'user.name', 'Bench User']);
    await git(repo, ['config', 'user.email', 'bench@example.com']);
    const base = (await git(repo, ['rev-parse', 'main'])).trim();
    const head = (await git(repo, ['rev-parse', 'pr'])).trim();
    return {
      repo: 'repo',
      base,
      head,
      changed: changed.map(modelName),
      files: stats.files,
      bytes: stats.bytes,
      auditRecords: stats.records + prRecords,
    };
  }, log);
}

/**
 * One MLflow run whose `metrics/val_loss` holds `lines` points (a long training job logging
 * every step), values in Python's repr (up to 17 significant digits, as MLflow writes them).
 * @param {{ seed: string, lines: number }} p
 */
export function metricRun(workDir, p, log) {
  return cached(workDir, `metric-run-${p.lines}`, p, async (dir) => {
    const rng = streamFor(p.seed, 'metric-run');
    const runId = rng.hex(32);
    const run = join(dir, 'repo', 'mlruns', '1', runId);
    mkdirSync(join(run, 'metrics'), { recursive: true });
    writeFileSync(join(run, 'meta.yaml'), `artifact_uri: file:///srv/mlflow/mlruns/1/${runId}/artifacts\nend_time: 1784642583554\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${runId}\nrun_name: long-run\nrun_uuid: ${runId}\nstart_time: 1784641251907\nstatus: 3\nuser_id: alice\n`);
    const file = join(run, 'metrics', 'val_loss');
    const out = createWriteStream(file);
    let ts = 1784641251907;
    let batch = [];
    let last = 0;
    for (let step = 0; step < p.lines; step++) {
      ts += rng.int(50, 400);
      last = 0.05 + 0.65 * Math.exp(-step / (p.lines / 4)) + rng.range(-0.01, 0.01);
      batch.push(`${ts} ${last} ${step}\n`);
      if (batch.length === 10000) {
        if (!out.write(batch.join(''))) await once(out, 'drain');
        batch = [];
      }
    }
    out.write(batch.join(''));
    out.end();
    await once(out, 'close');
    return { root: 'repo', run: `mlruns/1/${runId}`, metric: `mlruns/1/${runId}/metrics/val_loss`, lines: p.lines, latest: last };
  }, log);
}
