/**
 * The building block of crash safety, in-process: atomic writes that can be taken back, and the
 * temp files a killed process leaves, removed by the next write beside them (only those of
 * processes that are gone).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendFileAtomic, isTempFile, writeFileAtomic } from '../../src/storage/atomic';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'mg-atomic-'));
  dirs.push(d);
  return d;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('atomic writes that can be taken back', () => {
  it('writeFileAtomic: undo puts the exact previous bytes back; keep drops the backup; nothing else is left', async () => {
    const dir = await tempDir();
    const file = join(dir, 'm.yaml');
    const old = Buffer.from('a: 1\n# comment \u00e9\r\n');
    await writeFile(file, old);
    const w = await writeFileAtomic(file, 'a: 2\n');
    expect(await readFile(file, 'utf8')).toBe('a: 2\n');
    expect((await readdir(dir)).filter(isTempFile)).toHaveLength(1); // the backup, until keep/undo
    await w.undo();
    expect(await readFile(file)).toEqual(old);
    expect(await readdir(dir)).toEqual(['m.yaml']);

    const kept = await writeFileAtomic(file, 'a: 3\n');
    await kept.keep();
    expect(await readFile(file, 'utf8')).toBe('a: 3\n');
    expect(await readdir(dir)).toEqual(['m.yaml']);
  });

  it('writeFileAtomic of a new file: undo removes it', async () => {
    const dir = await tempDir();
    const w = await writeFileAtomic(join(dir, 'new.yaml'), 'x\n');
    await w.undo();
    expect(await readdir(dir)).toEqual([]);
  });

  it('appendFileAtomic: undo cuts the file back to its old length, or removes a file it created', async () => {
    const dir = await tempDir();
    const log = join(dir, 'a.jsonl');
    const created = await appendFileAtomic(log, '{"seq":1}\n');
    const second = await appendFileAtomic(log, '{"seq":2}\n');
    expect(await readFile(log, 'utf8')).toBe('{"seq":1}\n{"seq":2}\n');
    await second.undo();
    expect(await readFile(log, 'utf8')).toBe('{"seq":1}\n');
    await created.undo();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('temp files left by a killed process', () => {
  it('are hidden .tmp names; the next write beside them removes those of dead processes only', async () => {
    const dir = await tempDir();
    const file = join(dir, 'churn.yaml');
    await writeFile(file, 'v: 1\n');
    const dead = `.churn.yaml.${deadPid()}.0badc0de.tmp`;
    const alive = `.churn.yaml.${process.ppid}.c0ffee00.tmp`; // a live process (our parent)
    const other = `.other.yaml.${deadPid()}.0badc0de.tmp`; // beside another file: not this write's
    for (const n of [dead, alive, other]) await writeFile(join(dir, n), 'half-writ');
    for (const n of [dead, alive, other]) expect(isTempFile(`registry/${n}`)).toBe(true);
    expect(isTempFile('registry/churn.yaml')).toBe(false);

    await (await writeFileAtomic(file, 'v: 2\n')).keep();
    expect((await readdir(dir)).sort()).toEqual([alive, other, 'churn.yaml'].sort());
  });
});
