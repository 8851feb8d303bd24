/**
 * Bounded runs (issue 13, item 3), through the CLI bundle on real git repositories. A PR
 * registers version 2 of an MLflow-backed model into Staging, whose policy reads the run's
 * params; the PR's run directory is hostile. Big trees are made with git plumbing
 * (`hash-object -w`, `update-index --index-info`, `write-tree`, `commit-tree`), not by writing
 * 100,000 files. Figures measured before: 10,000 params 90 s, 100,000 over 15 minutes, 600
 * copies of one 8 MiB tag blob crashed with "JavaScript heap out of memory".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { makeRepo, type TestRepo } from '../helpers/git';
import { CLI, cleanEnv, runNode } from '../helpers/cli';
import { createServer, type Socket } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expectBounded, modelgateMeasured, summary } from './fixtures/harness';

const META = (id: string) => `artifact_uri: mlruns/0/${id}/artifacts\nexperiment_id: '0'\nlifecycle_stage: active\nrun_id: ${id}\nrun_uuid: ${id}\nstart_time: 1789459512004\nend_time: 1789461168649\nstatus: 3\nuser_id: u\n`;
const manifest = (v2: boolean) =>
  `apiVersion: modelgate/v1\nkind: Model\nname: m\nversions:\n  - version: 1\n    run: mlruns/0/r1\n    stage: Production\n${v2 ? '  - version: 2\n    run: mlruns/0/r2\n    stage: Staging\n' : ''}`;
const POLICY = 'apiVersion: modelgate/v1\nkind: Policy\nname: p\nmodels: ["*"]\nrules:\n  Staging:\n    from: [None]\n    params: { required: [lr] }\n    tags: { required: [data_version] }\n';

let repo: TestRepo;
let base: string;

beforeAll(async () => {
  repo = await makeRepo({
    'modelgate.yaml': 'registry: registry\n',
    'policies/p.yaml': POLICY,
    'registry/m.yaml': manifest(false),
    'mlruns/0/r1/meta.yaml': META('r1'),
    'mlruns/0/r1/params/lr': '0.1',
    'mlruns/0/r1/tags/data_version': '2026-11-01',
  });
  base = (await repo.git(['rev-parse', 'HEAD'])).trim();
});
afterAll(async () => {
  console.log(summary('bounded runs'));
  await repo?.cleanup();
});

/** Feeds `input` to git on stdin; resolves stdout. */
function gitStdin(args: string[], input: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: repo.dir });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(err))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** A head commit on `base` adding v2 (Staging) whose run r2 has `params` (name → blob id) and `tags`. */
async function headWith(files: { path: string; oid: string }[]): Promise<string> {
  const blob = async (text: string | Buffer) => (await gitStdin(['hash-object', '-w', '--stdin'], text)).trim();
  const index = `${repo.dir}/.git/index-bounds`;
  const env = { ...process.env, GIT_INDEX_FILE: index };
  const run = (args: string[], input = '') =>
    new Promise<string>((resolve, reject) => {
      const child = spawn('git', args, { cwd: repo.dir, env });
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => (err += b));
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8').trim()) : reject(new Error(err))));
      child.stdin.on('error', () => undefined); // git that reads no stdin may exit first (EPIPE)
      child.stdin.end(input);
    });
  await run(['read-tree', base]);
  const own = [
    { path: 'registry/m.yaml', oid: await blob(manifest(true)) },
    { path: 'mlruns/0/r2/meta.yaml', oid: await blob(META('r2')) },
    ...files,
  ];
  await run(['update-index', '--index-info'], own.map((f) => `100644 ${f.oid}\t${f.path}\n`).join(''));
  const tree = await run(['write-tree']);
  return run(['commit-tree', tree, '-p', base, '-m', 'register v2']);
}

const blobOf = async (text: string | Buffer) => (await gitStdin(['hash-object', '-w', '--stdin'], text)).trim();
/** Many blobs in one git process: `hash-object --stdin-paths` over files in a temp dir. */
async function blobsOf(texts: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-blobs-'));
  try {
    const paths = texts.map((_, i) => join(dir, String(i)));
    await Promise.all(texts.map((t, i) => writeFile(paths[i]!, t)));
    return (await gitStdin(['hash-object', '-w', '--stdin-paths'], paths.join('\n') + '\n')).trim().split('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
/** The bench's hook logging every request to git cat-file (bench/README.md, "Files read"). */
const TRACE_HOOK = resolve(__dirname, '../../bench/lib/hooks/trace-git.mjs');
const check = (head: string, label: string) => modelgateMeasured(repo.dir, ['check', '--base', base, '--head', head, '--format', 'json'], label);
const MiB = 1024 * 1024;

describe('entries per run directory (cap 10,000)', () => {
  it('10,000 params (at the cap): judged, allowed, in under 30 s and 320 MiB', async () => {
    const one = await blobOf('1');
    const files = [{ path: 'mlruns/0/r2/params/lr', oid: one }, { path: 'mlruns/0/r2/tags/data_version', oid: await blobOf('2026-11-02') }];
    for (let i = 1; i < 10_000; i++) files.push({ path: `mlruns/0/r2/params/p${String(i).padStart(5, '0')}`, oid: one });
    const head = await headWith(files);
    const r = await check(head, '10,000 params');
    expectBounded(r, '10,000 params');
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(30_000);
    expect(r.rssBytes).toBeLessThan(320 * MiB);
  }, 120_000);

  it('100,000 params: refused as could not evaluate (deny) in under 30 s and 320 MiB, naming the directory', async () => {
    const one = await blobOf('1');
    const files = [{ path: 'mlruns/0/r2/tags/data_version', oid: await blobOf('2026-11-02') }];
    for (let i = 0; i < 100_000; i++) files.push({ path: `mlruns/0/r2/params/p${String(i).padStart(6, '0')}`, oid: one });
    const head = await headWith(files);
    const r = await check(head, '100,000 params');
    expectBounded(r, '100,000 params');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/could not evaluate: .*mlruns\/0\/r2\/params holds more than 10,000 entries/);
    expect(r.ms).toBeLessThan(30_000);
    expect(r.rssBytes).toBeLessThan(320 * MiB);
  }, 180_000);
});

describe('only the keys the policies judge are read', () => {
  it('10,000 params of which the policy judges 1 (and 1 tag): 1 param file read, not 10,000', async () => {
    // Distinct blobs, so the trace names each file by its own path.
    const files = [{ path: 'mlruns/0/r2/params/lr', oid: await blobOf('0.2') }, { path: 'mlruns/0/r2/tags/data_version', oid: await blobOf('2026-11-02') }];
    const many = await blobsOf(Array.from({ length: 9_999 }, (_, i) => `value ${i}`));
    many.forEach((oid, i) => files.push({ path: `mlruns/0/r2/params/p${String(i + 1).padStart(5, '0')}`, oid }));
    const head = await headWith(files);
    const dir = await mkdtemp(join(tmpdir(), 'mg-trace-'));
    try {
      const trace = join(dir, 'trace.jsonl');
      const t0 = Date.now();
      const r = await runNode(CLI, ['check', '--base', base, '--head', head, '--format', 'json', '--repo', repo.dir], {
        cwd: repo.dir,
        env: { NODE_OPTIONS: `--import ${TRACE_HOOK}`, MODELGATE_BENCH_TRACE: trace },
        timeoutMs: 60_000,
      });
      const ms = Date.now() - t0;
      expect(r.code, r.stderr).toBe(0);
      const events = (await readFile(trace, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; spec?: string });
      const contents = events.filter((e) => e.type === 'batch' && /^mlruns\/0\/r2\/params\//.test(e.spec ?? ''));
      const sizes = events.filter((e) => e.type === 'batch-check' && /^mlruns\/0\/r2\/params\//.test(e.spec ?? ''));
      console.log(`10,000 params, 1 judged: ${contents.length} param files read, ${sizes.length} sizes asked, ${ms} ms`);
      // lr of the head run only (the base run's lr is in another directory).
      expect(contents.map((e) => e.spec)).toEqual(['mlruns/0/r2/params/lr']);
      // The listing is still checked whole (entry cap, sizes): sizes come from git's batch-check.
      expect(sizes.length).toBe(10_000);
      expect(ms).toBeLessThan(30_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('bytes per value and per run', () => {
  it('600 copies of one 8 MiB tag blob (the heap-exhaustion case): could not evaluate, no crash, under 320 MiB', async () => {
    const big = await blobOf(Buffer.alloc(8 * MiB, 0x61));
    const files = [{ path: 'mlruns/0/r2/params/lr', oid: await blobOf('0.1') }];
    for (let i = 0; i < 600; i++) files.push({ path: `mlruns/0/r2/tags/t${i}`, oid: big });
    const head = await headWith(files);
    const r = await check(head, '600 x 8 MiB tags');
    expectBounded(r, '600 x 8 MiB tags');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/could not evaluate: .*tag value is 8,388,608 bytes, longer than MLflow's 8,000-character limit/);
    expect(r.rssBytes).toBeLessThan(320 * MiB);
    expect(r.ms).toBeLessThan(30_000);
  }, 120_000);

  it('a param of 6,001 characters (MLflow caps params at 6,000): could not evaluate; 6,000 is judged', async () => {
    const tag = { path: 'mlruns/0/r2/tags/data_version', oid: await blobOf('2026-11-02') };
    const over = await check(await headWith([tag, { path: 'mlruns/0/r2/params/lr', oid: await blobOf('é'.repeat(6001)) }]), '6,001-char param');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/could not evaluate: .*param value is 6,001 characters, longer than MLflow's 6,000-character limit/);
    const at = await check(await headWith([tag, { path: 'mlruns/0/r2/params/lr', oid: await blobOf('é'.repeat(6000)) }]), '6,000-char param');
    expect(at.code, at.stdout).toBe(0);
  }, 60_000);
});

describe('signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s (a cancelled job) while waiting on S3 ends the CLI with exit 3 and one line, no stack trace', async (signal) => {
    // An S3 endpoint that accepts connections and never answers keeps the check busy for minutes.
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const head = await headWith([{ path: 'registry/m.yaml', oid: await blobOf(manifest(true).replace('run: mlruns/0/r2', 'run: s3://models-bucket/runs/r2.json')) }]);
    const child = spawn(process.execPath, [CLI, 'check', '--base', base, '--head', head, '--repo', repo.dir], {
      cwd: repo.dir,
      env: { ...cleanEnv(), AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'us-east-1' },
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b));
    try {
      // Signalled once the request is waiting on the endpoint.
      for (let i = 0; i < 200 && sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(sockets.length, 'the CLI reached S3').toBeGreaterThan(0);
      const t0 = Date.now();
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      expect(code, err).toBe(3);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(err).toMatch(new RegExp(`^error: stopped by ${signal}: nothing was allowed`));
      expect(err).not.toMatch(/at .*\.js:\d+/);
    } finally {
      child.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 30_000);

  it('the wall-clock budget (MODELGATE_TIMEOUT_MS) ends a hung check with exit 3 and one line', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const head = await headWith([{ path: 'registry/m.yaml', oid: await blobOf(manifest(true).replace('run: mlruns/0/r2', 'run: s3://models-bucket/runs/r2.json')) }]);
      const t0 = Date.now();
      const r = await runNode(CLI, ['check', '--base', base, '--head', head, '--repo', repo.dir], {
        cwd: repo.dir,
        env: { MODELGATE_TIMEOUT_MS: '1500', AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'us-east-1' },
        timeoutMs: 20_000,
      });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^error: modelgate did not finish within 1500 ms: nothing was allowed/);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 30_000);

});

describe('the wall-clock budget of one evaluation (MODELGATE_EVAL_TIMEOUT_MS)', () => {
  it('a transition waiting on a silent S3 past its budget is denied as could not evaluate; the other transition is judged; the command ends at once', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      // m v2's run is in S3 (the silent endpoint); model n registers v1 from a run in the repository.
      const other = 'apiVersion: modelgate/v1\nkind: Model\nname: n\nversions:\n  - version: 1\n    run: mlruns/0/r3\n    stage: Staging\n';
      const head = await headWith([
        { path: 'registry/m.yaml', oid: await blobOf(manifest(true).replace('run: mlruns/0/r2', 'run: s3://models-bucket/runs/r2.json')) },
        { path: 'registry/n.yaml', oid: await blobOf(other) },
        { path: 'mlruns/0/r3/meta.yaml', oid: await blobOf(META('r3')) },
        { path: 'mlruns/0/r3/params/lr', oid: await blobOf('0.1') },
        { path: 'mlruns/0/r3/tags/data_version', oid: await blobOf('2026-11-03') },
      ]);
      const t0 = Date.now();
      const r = await runNode(CLI, ['check', '--base', base, '--head', head, '--format', 'json', '--repo', repo.dir], {
        cwd: repo.dir,
        env: { MODELGATE_EVAL_TIMEOUT_MS: '1500', AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'us-east-1' },
        timeoutMs: 30_000,
      });
      const ms = Date.now() - t0;
      console.log(`evaluation budget 1.5 s on a silent S3: exit ${r.code} in ${ms} ms`);
      expect(sockets.length, 'the CLI reached S3').toBeGreaterThan(0);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as { transitions: { model: string; version: number; decision: string; checks: { id: string; message: string }[] }[] };
      const m = report.transitions.find((t) => t.model === 'm')!;
      const n = report.transitions.find((t) => t.model === 'n')!;
      expect(m.decision).toBe('deny');
      expect(m.checks.map((c) => c.id)).toEqual(['evaluation.time']);
      expect(m.checks[0]!.message).toMatch(/^could not evaluate: judging m v2 took longer than 1500 ms; nothing was allowed \(MODELGATE_EVAL_TIMEOUT_MS/);
      expect(n.decision, JSON.stringify(n.checks)).toBe('allow');
      // The S3 client would wait 30 s per attempt; the command ends once it has answered.
      expect(ms).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 60_000);
});

describe('the watched child', () => {
  it('a parent killed with SIGKILL (which it cannot pass on) takes its child with it', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const head = await headWith([{ path: 'registry/m.yaml', oid: await blobOf(manifest(true).replace('run: mlruns/0/r2', 'run: s3://models-bucket/runs/r2.json')) }]);
    const parent = spawn(process.execPath, [CLI, 'check', '--base', base, '--head', head, '--repo', repo.dir], {
      cwd: repo.dir,
      env: { ...cleanEnv(), AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'us-east-1' },
    });
    try {
      for (let i = 0; i < 200 && sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(sockets.length, 'the CLI reached S3').toBeGreaterThan(0);
      const children = (await new Promise<string>((r) => execFile('pgrep', ['-P', String(parent.pid)], (_e, out) => r(out)))).split('\n').filter(Boolean).map(Number);
      expect(children).toHaveLength(1);
      parent.kill('SIGKILL');
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 100 && alive(children[0]!); i++) await new Promise((r) => setTimeout(r, 50));
      expect(alive(children[0]!), 'the child ended with its parent').toBe(false);
    } finally {
      parent.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 30_000);
});

describe('out of memory', () => {
  it('exhausting the heap (MODELGATE_MAX_HEAP_MB=16 on a 3.8 MB manifest) is exit 3 with one line: no V8 report, no native stack', async () => {
    const big = await makeRepo({ 'registry/big.yaml': 'apiVersion: modelgate/v1\nkind: Model\nname: big\nversions:\n' + Array.from({ length: 60_000 }, (_, i) => `  - version: ${i + 1}\n    run: runs/r${i + 1}.json\n    stage: Archived\n`).join('') });
    try {
      const r = await runNode(CLI, ['validate', '--repo', big.dir], { cwd: big.dir, env: { MODELGATE_MAX_HEAP_MB: '16' } });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^error: modelgate ran out of memory: nothing was allowed\n  hint: /);
      expect(r.stderr).not.toMatch(/FATAL|heap out of memory|Last few GCs|0x[0-9a-f]{6,}|node::/);
      expect(r.stderr.trim().split('\n')).toHaveLength(2);
      // The same command with the default heap is judged (the bound that applies is the token cap: exit 2).
      const normal = await runNode(CLI, ['validate', '--repo', big.dir], { cwd: big.dir });
      expect(normal.code, normal.stderr).toBe(2);
      expect(normal.stderr).toMatch(/more than 200,000 YAML tokens/);
    } finally {
      await big.cleanup();
    }
  }, 60_000);

  it('--version answers without a second process (cold start stays one node)', async () => {
    const r = await runNode(CLI, ['--version'], { env: { MODELGATE_MAX_HEAP_MB: '1' } });
    expect(r.code).toBe(0); // a 1 MB heap would kill a child: none is started
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
