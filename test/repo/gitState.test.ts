import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '../../src/errors';
import { GitState } from '../../src/repo/gitState';
import { makeRepo, type TestRepo } from '../helpers/git';

const run = promisify(execFile);

let repo: TestRepo;
let first: string;
let second: string;
const BIG = Buffer.alloc(5 * 1024 * 1024 + 3, 'abcdefgh');

beforeAll(async () => {
  repo = await makeRepo({
    'registry/churn.yaml': 'name: churn\nversion: 1\n',
    'registry/B.yaml': 'B\n',
    'registry/b.yaml': 'b\n',
    'bom.yaml': '\uFEFFname: bom\n',
  });
  first = (await repo.git(['rev-parse', 'HEAD'])).trim();
  await repo.write('registry/churn.yaml', 'name: churn\nversion: 2\n');
  for (let i = 0; i < 200; i++) await repo.write(`runs/r${i}.json`, JSON.stringify({ run_id: `r${i}` }));
  await writeFile(join(repo.dir, 'latin1.yaml'), Buffer.from('a: 1\nb: caf\xe9\n', 'latin1'));
  await writeFile(join(repo.dir, 'big.bin'), BIG);
  await writeFile(join(repo.dir, 'huge.json'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
  await symlink('/tmp/outside', join(repo.dir, 'escape')); // a directory link leaving the repo
  await symlink('../../etc/passwd', join(repo.dir, 'registry', 'leak.yaml'));
  await symlink('registry/churn.yaml', join(repo.dir, 'alias.yaml'));
  await symlink('../registry', join(repo.dir, 'runs', 'reg'));
  await symlink('loop-b', join(repo.dir, 'loop-a'));
  await symlink('loop-a', join(repo.dir, 'loop-b'));
  second = await repo.commitAll('second');
  await repo.write('registry/churn.yaml', 'name: churn\nversion: 3 (working tree)\n');
});
afterAll(() => repo.cleanup());

describe('GitState', () => {
  it('reads the files as they were at the ref, not as in the working tree', async () => {
    const a = await GitState.open(repo.dir, first);
    const b = await GitState.open(repo.dir, 'HEAD');
    try {
      expect(a.commit).toBe(first);
      expect(a.label).toBe(first);
      expect(b.commit).toBe(second);
      expect(await a.readText('registry/churn.yaml')).toBe('name: churn\nversion: 1\n');
      expect(await b.readText('./registry/churn.yaml')).toBe('name: churn\nversion: 2\n');
      expect(await a.readText('runs/r1.json')).toBeUndefined();
      expect(await a.readText('bom.yaml')).toBe('name: bom\n');
    } finally {
      a.close();
      b.close();
    }
  });

  it('lists in byte order and stats files and directories', async () => {
    const s = await GitState.open(repo.dir, second);
    try {
      expect(await s.list('registry')).toEqual(['B.yaml', 'b.yaml', 'churn.yaml', 'leak.yaml']);
      expect(await s.list('')).toContain('registry');
      expect(await s.list('registry/churn.yaml')).toBeUndefined();
      expect(await s.list('nope')).toBeUndefined();
      expect(await s.stat('registry/churn.yaml')).toEqual({ type: 'file', size: 23 });
      expect(await s.stat('registry')).toEqual({ type: 'dir', size: 0 });
      expect(await s.stat('registry/nope.yaml')).toBeUndefined();
      expect(await s.stat('registry/churn.yaml/below-a-file')).toBeUndefined();
      await expect(s.readText('registry')).rejects.toThrow(/is a directory/);
    } finally {
      s.close();
    }
  });

  it('answers 200 concurrent reads correctly through one cat-file --batch process', async () => {
    const trace = join(repo.dir, '..', 'trace.txt');
    process.env.GIT_TRACE = trace;
    const s = await GitState.open(repo.dir, second);
    try {
      const paths = Array.from({ length: 200 }, (_, i) => `runs/r${i}.json`);
      const [texts, stats, lists] = await Promise.all([
        Promise.all(paths.map((p) => s.readText(p))),
        Promise.all(paths.map((p) => s.stat(p))),
        Promise.all(Array.from({ length: 20 }, () => s.list('registry'))),
      ]);
      texts.forEach((t, i) => expect(JSON.parse(t!)).toEqual({ run_id: `r${i}` }));
      stats.forEach((st, i) => expect(st).toEqual({ type: 'file', size: JSON.stringify({ run_id: `r${i}` }).length }));
      lists.forEach((l) => expect(l).toHaveLength(4));
    } finally {
      s.close();
      delete process.env.GIT_TRACE;
    }
    const log = await readFile(trace, 'utf8');
    expect(log.match(/cat-file --batch --follow-symlinks/g)).toHaveLength(1);
    expect(log.match(/cat-file --batch-check --follow-symlinks/g)).toHaveLength(1);
  });

  it('follows symlinks inside the tree and refuses those that leave it', async () => {
    const s = await GitState.open(repo.dir, second);
    try {
      expect(await s.readText('alias.yaml')).toBe('name: churn\nversion: 2\n');
      expect(await s.readText('runs/reg/churn.yaml')).toBe('name: churn\nversion: 2\n');
      expect(await s.list('runs/reg')).toContain('churn.yaml');
      await expect(s.readText('registry/leak.yaml')).rejects.toThrow(/'registry\/leak\.yaml' resolves outside the repository \(symlink/);
      await expect(s.readText('escape/secret.yaml')).rejects.toBeInstanceOf(InputError);
      await expect(s.stat('escape')).rejects.toThrow(/outside the repository/);
      await expect(s.list('escape')).rejects.toThrow(/outside the repository/);
      await expect(s.readText('loop-a')).rejects.toThrow(/symlink loop/);
      // the reader survives refused requests
      expect(await s.readText('registry/b.yaml')).toBe('b\n');
    } finally {
      s.close();
    }
  });

  it('refuses .. and absolute paths, and invalid UTF-8 names the file, line and commit', async () => {
    const s = await GitState.open(repo.dir, second);
    try {
      await expect(s.readText('../x')).rejects.toThrow(/'\.\.'/);
      await expect(s.readText('/etc/passwd')).rejects.toThrow(/absolute/);
      await expect(s.readText('bad\nname')).rejects.toThrow(/control character/);
      const err = await s.readText('latin1.yaml').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toBe(`latin1.yaml at commit ${second.slice(0, 12)} is not valid UTF-8 (line 2)`);
    } finally {
      s.close();
    }
  });

  it('streams large blobs, and a missing one is a NotFoundError', async () => {
    const s = await GitState.open(repo.dir, second);
    try {
      const hash = createHash('sha256');
      for await (const chunk of await s.openStream('big.bin')) hash.update(chunk);
      expect(hash.digest('hex')).toBe(createHash('sha256').update(BIG).digest('hex'));
      const small: Buffer[] = [];
      for await (const chunk of await s.openStream('registry/b.yaml')) small.push(Buffer.from(chunk));
      expect(Buffer.concat(small).toString()).toBe('b\n');
      await expect(s.openStream('nope.bin')).rejects.toBeInstanceOf(NotFoundError);
      expect(Buffer.from((await s.readBytes('big.bin'))!).equals(BIG)).toBe(true);
      // Over 16 MiB is refused as text; the reader skips the bytes and stays in step.
      const [huge, after] = await Promise.allSettled([s.readText('huge.json'), s.readText('registry/b.yaml')]);
      expect(huge).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/huge\.json at commit \w+ is 16777217 bytes, larger than the 16 MiB/) } });
      expect(after).toEqual({ status: 'fulfilled', value: 'b\n' });
    } finally {
      s.close();
    }
  });

  it('refuses an unknown ref with an input error and a hint about shallow clones', async () => {
    const err = await GitState.open(repo.dir, 'no-such-branch').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe("unknown revision 'no-such-branch'");
    expect((err as InputError).hint).toMatch(/shallow/);
    await expect(GitState.open(repo.dir, '--output=/tmp/x')).rejects.toThrow(/unknown revision/);
  });

  it('can be closed twice, and reads after close start a new reader', async () => {
    const s = await GitState.open(repo.dir, second);
    expect(await s.readText('registry/b.yaml')).toBe('b\n');
    s.close();
    s.close();
    expect(await s.readText('registry/B.yaml')).toBe('B\n');
    s.close();
  });

  it('does not keep node alive when close() is forgotten', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mg-forgot-'));
    try {
      const entry = join(dir, 'entry.ts');
      await writeFile(
        entry,
        `import { GitState } from ${JSON.stringify(resolve('src/repo/gitState.ts'))};\n` +
          `const s = await GitState.open(process.argv[2]!, 'HEAD');\n` +
          `console.log(await s.readText('registry/b.yaml'), (await s.stat('registry'))?.type);\n`,
      );
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'out.mjs'), logLevel: 'silent' });
      // killed (and failing) if the idle readers kept the process alive
      const r = await run(process.execPath, [join(dir, 'out.mjs'), repo.dir], { timeout: 10_000 });
      expect(r.stdout).toBe('b\n dir\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
