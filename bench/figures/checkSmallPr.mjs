// check_small_pr: `modelgate check` on a pull request that promotes 5 models, in registries of
// growing size. The cost should follow the change, not the registry: wall time ratio
// largest/smallest <= 1.3, and the same files read at every size (only the changed models,
// their runs and their baselines).
import { join } from 'node:path';
import { interleaved, median, r1, r3, timed } from '../lib/measure.mjs';
import { straceAvailable, summarize, traceRun } from '../lib/trace.mjs';
import { modelPlan } from '../lib/synthetic.mjs';

const TARGET = 1.3;

export async function checkSmallPr(ctx) {
  const sizes = ctx.config.sizes;
  const repos = {};
  for (const n of sizes) repos[n] = await ctx.registry(n);
  const cli = join(ctx.dist, 'cli.js');
  // As the Action runs it on a pull request: head = the checked-out PR commit (read from git
  // objects; nothing asks git about the working tree, which would load its whole index).
  const args = (n) => [cli, 'check', '--base', 'main', '--head', 'HEAD', '--format', 'json', '--repo', repos[n].repo];
  const expectedTransitions = 3 * repos[sizes[0]].changed.length;

  // The CLI's default, head = the working tree: a local pre-flight check of uncommitted edits.
  const worktreeArgs = (n) => [cli, 'check', '--base', 'main', '--format', 'json', '--repo', repos[n].repo];
  ctx.log(`  check_small_pr: ${ctx.config.runs.check} rounds over ${sizes.join(', ')} models (head = the PR commit, and head = the working tree)`);
  const samples = await interleaved(
    Object.fromEntries(
      sizes.flatMap((n) => [
        [String(n), () => timed(process.execPath, args(n), { cwd: repos[n].repo, rusage: true })],
        [`${n}@worktree`, () => timed(process.execPath, worktreeArgs(n), { cwd: repos[n].repo, rusage: true })],
      ]),
    ),
    ctx.config.runs.check,
    { log: ctx.log, warmup: ctx.config.warmup },
  );
  const problems = [];
  for (const [n, runs] of Object.entries(samples)) {
    for (const r of runs) {
      const report = safeJson(r.stdout);
      if (r.code !== 0 || report?.decision !== 'allow' || report?.summary?.transitions !== expectedTransitions) {
        problems.push(`${n} models: exit ${r.code}, decision ${report?.decision}, ${report?.summary?.transitions} transitions (expected allow, ${expectedTransitions}): ${r.stderr.slice(0, 300)}`);
        break;
      }
    }
  }
  const ms = Object.fromEntries(sizes.map((n) => [String(n), r1(median(samples[n].map((s) => s.ms)))]));
  const smallest = ms[String(sizes[0])];
  const largest = ms[String(sizes.at(-1))];
  const ratio = largest / smallest;

  const worktreeMs = Object.fromEntries(sizes.map((n) => [String(n), r1(median(samples[`${n}@worktree`].map((s) => s.ms)))]));
  const cpu = (key) => Object.fromEntries(sizes.map((n) => [String(n), r1(median(samples[key(n)].map((s) => s.cpuMs)))]));
  const cpuMs = cpu((n) => String(n));
  const worktreeCpuMs = cpu((n) => `${n}@worktree`);
  const rss = Object.fromEntries(sizes.map((n) => [String(n), r1(median(samples[String(n)].map((s) => s.maxRssMb)))]));
  const last = (o) => o[String(sizes.at(-1))] / o[String(sizes[0])];
  const figure = {
    ms,
    floor_ms: smallest, // the floor of a size-independent cost: the same check on the smallest registry
    ratio: r3(ratio),
    target: TARGET,
    ok: ratio <= TARGET && problems.length === 0,
    cpu_ms: cpuMs,
    cpu_ratio: r3(last(cpuMs)),
    max_rss_mb: rss,
    head_worktree: {
      ms: worktreeMs,
      ratio: r3(last(worktreeMs)),
      cpu_ms: worktreeCpuMs,
      cpu_ratio: r3(last(worktreeCpuMs)),
      how: 'check --base main (head = the working tree, the CLI default): git loads its whole index to compare the working tree, which grows with the number of committed files',
    },
    runs: ctx.config.runs.check,
    transitions: expectedTransitions,
    how: 'spawned: node dist/cli.js check --base main --head HEAD --format json in the checkout of the PR (head = the PR commit, as the Action runs it)',
    ...(problems.length ? { problems } : {}),
  };
  figure.files_read = await filesRead(ctx, sizes, repos, args);
  if (figure.files_read.ok === false) figure.ok = false;
  return figure;
}

/** What the CLI opens and asks git for, per size; equal across sizes and limited to the change. */
async function filesRead(ctx, sizes, repos, args) {
  if (!straceAvailable()) return { skipped: 'strace is not installed' };
  const traced = [sizes[0], sizes.at(-1)];
  const out = { target: 'the same at every size; only the changed models, their runs and their baselines' };
  const summaries = {};
  for (const n of traced) {
    ctx.log(`  check_small_pr: tracing the ${n}-model run (strace + git batch requests)`);
    const [script, ...rest] = args(n);
    const t = await traceRun(script, rest, repos[n].repo);
    const s = summarize(t, repos[n].repo, classifier(ctx.config, repos[n]));
    summaries[n] = s;
    const { entries, unexpected, ...counts } = s;
    out[String(n)] = { ...counts, ...(unexpected.length ? { unexpected: unexpected.slice(0, 25), unexpected_count: unexpected.length } : {}) };
  }
  const [a, b] = traced.map((n) => summaries[n].entries);
  out.equal = a.length === b.length && a.every((e, i) => e === b[i]);
  if (!out.equal) {
    const sa = new Set(a);
    const sb = new Set(b);
    out.only_in_smallest = a.filter((e) => !sb.has(e)).slice(0, 25);
    out.only_in_largest = b.filter((e) => !sa.has(e)).slice(0, 25);
  }
  out.only_changed = traced.every((n) => summaries[n].unexpected.length === 0);
  out.ok = out.equal && out.only_changed;
  out.entries = summaries[sizes.at(-1)].entries;
  return out;
}

/**
 * Names what a repository path is, and whether a check of this PR has any business reading it:
 * the configuration and policies, and for each changed model its manifest, its audit log (soak
 * time), the run of the promoted version (head) and of the champion it is compared with (base).
 */
function classifier(config, fixture) {
  const changed = new Set(fixture.changed);
  const runs = new Map(); // run path -> label
  const experiments = new Set();
  for (const i of config.changed) {
    if (i >= fixture.params.models) continue;
    const plan = modelPlan(config.seed, i, fixture.params);
    experiments.add(`mlruns/${plan.experiment}`);
    const n = plan.versions.length;
    runs.set(plan.versions[n - 1].runPath, `${plan.name} v${n} (promoted)`);
    if (n > 1) runs.set(plan.versions[n - 2].runPath, `${plan.name} v${n - 1} (baseline)`);
  }
  // Directories whose tree is read to find those files by id (git walks the same trees itself
  // for every `<commit>:<path>`): the root, the registry's own folders, the changed experiments
  // and the runs. Reading a tree is not listing it for its names (that is `registry-listing`).
  const onTheWay = (path) =>
    ['.', 'registry', 'audit', 'policies', 'mlruns'].includes(path) || experiments.has(path) || [...runs.keys()].some((run) => path === run || path.startsWith(`${run}/`));
  return (path, what = 'file') => {
    if (what === 'tree') return { kind: 'tree', expected: onTheWay(path) };
    if (path === 'modelgate.yaml' || path === 'policies' || path.startsWith('policies/')) return { kind: 'config', expected: true };
    let m = /^registry\/(.+)\.yaml$/.exec(path);
    if (m) return { kind: 'manifest', expected: changed.has(m[1]) };
    if (path === 'registry' || path === 'audit') return { kind: `${path}-listing`, expected: false };
    m = /^audit\/(.+)\.jsonl$/.exec(path);
    if (m) return { kind: 'audit-log', expected: changed.has(m[1]) };
    for (const [run] of runs) if (path === run || path.startsWith(`${run}/`)) return { kind: 'run', expected: true };
    if (path.startsWith('mlruns/')) return { kind: 'other-run', expected: false };
    return { kind: 'other', expected: false };
  };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
