import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '../../src/errors';
import { WorktreeState } from '../../src/repo/worktree';

let base: string;
let root: string;
let outside: string;
let state: WorktreeState;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'mg-worktree-'));
  root = join(base, 'repo');
  outside = join(base, 'outside');
  await mkdir(join(root, 'registry'), { recursive: true });
  await mkdir(join(root, 'data', 'a'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'secret.yaml'), 'token: hunter2\n');
  await writeFile(join(root, 'registry', 'churn.yaml'), 'name: churn\n');
  await writeFile(join(root, 'registry', 'b.yaml'), 'b\n');
  await writeFile(join(root, 'registry', 'B.yaml'), 'B\n');
  await writeFile(join(root, 'registry', 'é.yaml'), 'e\n');
  await writeFile(join(root, 'registry', '_.yaml'), '_\n');
  await writeFile(join(root, 'bom.yaml'), '\uFEFFname: bom\n');
  await writeFile(join(root, 'latin1.yaml'), Buffer.from('ok: 1\nname: caf\xe9\n', 'latin1'));
  await writeFile(join(root, 'data', 'a', 'a'), 'inner\n');
  await symlink(join(outside, 'secret.yaml'), join(root, 'leak.yaml'));
  await symlink(outside, join(root, 'runs')); // runs -> /tmp/.../outside
  await symlink('registry/churn.yaml', join(root, 'alias.yaml')); // inside: followed
  await symlink('../registry', join(root, 'data', 'reg')); // inside, via a directory
  await symlink('self', join(root, 'self'));
  // A sibling directory named like repo paths, so an escape would find real files.
  await mkdir(join(base, 'a'), { recursive: true });
  await writeFile(join(base, 'a', 'a'), 'escaped\n');
  state = new WorktreeState(root);
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('WorktreeState', () => {
  it('reads text and bytes, and stats files and directories', async () => {
    expect(await state.readText('registry/churn.yaml')).toBe('name: churn\n');
    expect(await state.readText('./registry//churn.yaml')).toBe('name: churn\n');
    expect(Buffer.from((await state.readBytes('data/a/a'))!).toString()).toBe('inner\n');
    expect(await state.stat('registry/churn.yaml')).toEqual({ type: 'file', size: 12 });
    expect(await state.stat('registry')).toEqual({ type: 'dir', size: 0 });
    expect(state.label).toBe('worktree');
    expect(state.commit).toBeUndefined();
    expect(state.describe('./registry/churn.yaml')).toBe('registry/churn.yaml');
  });

  it('lists entries in byte order', async () => {
    expect(await state.list('registry')).toEqual(['B.yaml', '_.yaml', 'b.yaml', 'churn.yaml', 'é.yaml']);
  });

  it('answers undefined for missing files and directories, and streaming one is a NotFoundError', async () => {
    expect(await state.readText('registry/nope.yaml')).toBeUndefined();
    expect(await state.readBytes('nope/deeper/x')).toBeUndefined();
    expect(await state.stat('registry/churn.yaml/inside-a-file')).toBeUndefined();
    expect(await state.list('nope')).toBeUndefined();
    await expect(state.openStream('registry/nope.yaml')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses invalid UTF-8, naming the file and line', async () => {
    const err = await state.readText('latin1.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/latin1\.yaml is not valid UTF-8 \(line 2\)/);
    expect((err as InputError).location).toMatchObject({ file: 'latin1.yaml', line: 2 });
  });

  it('strips a leading BOM', async () => {
    expect(await state.readText('bom.yaml')).toBe('name: bom\n');
  });

  it('refuses .. and absolute paths', async () => {
    await expect(state.readText('../outside/secret.yaml')).rejects.toThrow(InputError);
    await expect(state.readText('registry/../../outside/secret.yaml')).rejects.toThrow(/'\.\.'/);
    await expect(state.readText(join(outside, 'secret.yaml'))).rejects.toThrow(/absolute/);
  });

  it('refuses a symlink to a file outside the repository, without reading it', async () => {
    const err = await state.readText('leak.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(String((err as Error).message)).toMatch(/leak\.yaml' resolves outside the repository \(symlink\)/);
    expect(String((err as Error).message)).not.toContain('hunter2');
    await expect(state.stat('leak.yaml')).rejects.toThrow(/outside the repository/);
    await expect(state.openStream('leak.yaml')).rejects.toThrow(/outside the repository/);
  });

  it('refuses a symlinked directory in the middle of a path, even for missing files', async () => {
    await expect(state.readText('runs/secret.yaml')).rejects.toThrow(/runs\/secret\.yaml' resolves outside/);
    await expect(state.readText('runs/missing/meta.yaml')).rejects.toThrow(/outside the repository/);
    await expect(state.list('runs')).rejects.toThrow(/outside the repository/);
  });

  it('follows symlinks that stay inside the repository', async () => {
    expect(await state.readText('alias.yaml')).toBe('name: churn\n');
    expect(await state.readText('data/reg/churn.yaml')).toBe('name: churn\n');
    expect(await state.list('data/reg')).toContain('churn.yaml');
  });

  it('reports a symlink loop as an input error', async () => {
    await expect(state.readText('self')).rejects.toThrow(/symlink loop/);
  });

  it('refuses to read a directory or a file over 16 MiB as text', async () => {
    await expect(state.readText('registry')).rejects.toThrow(/is a directory/);
    await writeFile(join(root, 'huge.json'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    await expect(state.readText('huge.json')).rejects.toThrow(/larger than the 16 MiB/);
    let n = 0;
    for await (const chunk of await state.openStream('huge.json')) n += chunk.length;
    expect(n).toBe(16 * 1024 * 1024 + 1); // streaming has no limit
    await rm(join(root, 'huge.json'));
  });

  it('never resolves a path outside the root, whatever the input (property)', async () => {
    const realRoot = realpathSync(root);
    const segment = fc.constantFrom('..', '.', '', 'a', 'data', 'runs', 'reg', '%2e%2e', '%2e', '\0', '\\', '..\\..', '~', 'C:', '/', '//');
    const prefix = fc.constantFrom('', '/', '//', '\\\\', 'C:\\', 'file://', '~/', './');
    const input = fc.tuple(prefix, fc.array(segment, { maxLength: 8 })).map(([p, segs]) => p + segs.join('/'));
    await fc.assert(
      fc.asyncProperty(input, async (path) => {
        let resolved: string | undefined;
        try {
          resolved = await state.realPath(path);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          return;
        }
        if (resolved !== undefined) expect(resolved === realRoot || resolved.startsWith(realRoot + sep)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
