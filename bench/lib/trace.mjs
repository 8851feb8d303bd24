// "Files read" by one CLI run: every file the node process opens (strace, following threads and
// children) plus every object it asks git's batch readers for (the preloaded hook: those reads
// come out of git's pack and never show as opens), and every tree it reads to find them. Paths are made repository-relative so runs
// against registries of different sizes can be compared entry by entry.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productEnv } from './measure.mjs';

const HOOK = join(dirname(fileURLToPath(import.meta.url)), 'hooks', 'trace-git.mjs');

export function straceAvailable() {
  return ['/usr/bin/strace', '/bin/strace'].some((p) => existsSync(p));
}

/**
 * Runs `node [--import hook] script args` under strace in `repo`; returns the raw trace.
 * @returns {Promise<{ code: number, opens: Open[], execs: { pid: number, argv: string[] }[], batch: { type: string, spec: string }[], spawns: { command: string, args: string[] }[] }>}
 */
export async function traceRun(script, args, repo, extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-trace-'));
  try {
    const straceOut = join(dir, 'strace');
    const hookOut = join(dir, 'hook');
    const code = await new Promise((resolve, reject) => {
      const child = spawn(
        'strace',
        ['-f', '-qq', '-s', '4096', '-e', 'trace=openat,open,execve', '-e', 'signal=none', '-o', straceOut, process.execPath, '--import', HOOK, script, ...args],
        { cwd: repo, env: productEnv({ ...extraEnv, MODELGATE_BENCH_TRACE: hookOut }), stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      child.on('error', reject);
      child.on('close', (c) => (c === null ? reject(new Error(`strace killed: ${err}`)) : resolve(c)));
    });
    const { opens, execs, unparsed } = parseStrace(readFileSync(straceOut, 'utf8'));
    if (unparsed.length) throw new Error(`strace lines not understood: ${unparsed.slice(0, 3).join(' | ')}`);
    const hook = existsSync(hookOut) ? readFileSync(hookOut, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    return {
      code,
      opens,
      execs,
      batch: hook.filter((e) => e.type === 'batch' || e.type === 'batch-check' || e.type === 'tree'),
      spawns: hook.filter((e) => e.type === 'spawn'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @typedef {{ pid: number, path: string, directory: boolean, ok: boolean, error?: string }} Open
 * strace -f lines: `<pid> openat(AT_FDCWD, "<path>", <flags>) = <fd>` or `= -1 ENOENT (...)`;
 * a call interrupted by another thread is split into `<unfinished ...>` and `<... resumed>`.
 */
export function parseStrace(text) {
  const opens = [];
  const execs = [];
  const unfinished = new Map();
  const unparsed = [];
  for (const raw of text.split('\n')) {
    const m = /^(\d+)\s+(.*)$/.exec(raw);
    if (!m) continue;
    const pid = Number(m[1]);
    let line = m[2];
    if (line.endsWith('<unfinished ...>')) {
      unfinished.set(pid, line.slice(0, -'<unfinished ...>'.length).trimEnd());
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(line);
    if (resumed) {
      line = (unfinished.get(pid) ?? '') + resumed[1];
      unfinished.delete(pid);
    }
    const exec = /^execve\("([^"]*)", \[(.*)\], /.exec(line);
    if (exec) {
      if (/= 0$/.test(line)) execs.push({ pid, argv: [...exec[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]) });
      continue;
    }
    const open = /^openat\((?:AT_FDCWD|\d+), "((?:[^"\\]|\\.)*)", ([A-Z_|]+)(?:, \d+)?\s*\)\s+= (-?\d+)(?: (\w+))?/.exec(line) ?? /^open\("((?:[^"\\]|\\.)*)", ([A-Z_|]+)(?:, \d+)?\s*\)\s+= (-?\d+)(?: (\w+))?/.exec(line);
    if (!open && /^open(at)?\(/.test(line)) unparsed.push(line);
    if (open) {
      const ok = Number(open[3]) >= 0;
      opens.push({ pid, path: open[1], directory: open[2].includes('O_DIRECTORY'), ok, ...(ok ? {} : { error: open[4] }) });
    }
  }
  return { opens, execs, unparsed };
}

/**
 * What a traced run read of the repository, by who and what, relative to `repo`.
 * `classify(relPath)` names what a path is (e.g. `run:<model>@v100`); unknown paths are kept as is.
 */
export function summarize(trace, repo, classify) {
  const gitPids = new Set(trace.execs.filter((e) => e.argv[0] === 'git' || e.argv[0]?.endsWith('/git')).map((e) => e.pid));
  const inRepo = (p) => {
    const abs = p.startsWith('/') ? p : null;
    if (!abs) return null; // git children open relative paths in their cwd: counted as git's
    const rel = relative(repo, abs);
    if (rel.startsWith('..') || rel === '.git' || rel.startsWith('.git/')) return null;
    return rel === '' ? '.' : rel;
  };
  const nodeFiles = new Set();
  const nodeDirs = new Set();
  const missing = new Set();
  for (const o of trace.opens) {
    if (gitPids.has(o.pid)) continue;
    const rel = inRepo(o.path);
    if (rel === null) continue;
    if (!o.ok) missing.add(rel);
    else if (o.directory) nodeDirs.add(rel);
    else nodeFiles.add(rel);
  }
  const blobs = new Set();
  const checks = new Set();
  const trees = new Set();
  for (const b of trace.batch) {
    const path = b.spec.replace(/^[0-9a-f]{40,64}:/, '');
    (b.type === 'batch' ? blobs : b.type === 'tree' ? trees : checks).add(path);
  }
  const gitCommands = trace.spawns.filter((s) => s.command === 'git').map((s) => s.args.filter((a) => !a.startsWith('-c') && !/^[0-9a-f]{40}/.test(a)).slice(0, 2).join(' '));
  const entries = [
    ...[...nodeFiles].map((p) => `file ${p}`),
    ...[...nodeDirs].map((p) => `dir ${p}`),
    ...[...missing].map((p) => `missing ${p}`),
    ...[...blobs].map((p) => `git-object ${p}`),
    ...[...checks].map((p) => `git-stat ${p}`),
    ...[...trees].map((p) => `git-tree ${p}`),
  ].sort();
  const kinds = {};
  const unexpected = [];
  for (const e of entries) {
    const path = e.slice(e.indexOf(' ') + 1);
    const kind = classify(path, e.startsWith('git-tree ') ? 'tree' : 'file');
    kinds[kind.kind] = (kinds[kind.kind] ?? 0) + 1;
    if (!kind.expected) unexpected.push(e);
  }
  return {
    files_opened: nodeFiles.size,
    dirs_listed: nodeDirs.size,
    failed_opens: missing.size,
    git_objects_read: blobs.size,
    git_objects_stat: checks.size,
    git_trees_read: trees.size,
    git_processes: gitCommands.length,
    git_commands: countBy(gitCommands),
    by_kind: kinds,
    unexpected,
    entries,
  };
}

function countBy(xs) {
  const out = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
