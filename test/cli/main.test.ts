/** cli/main in-process: importing it runs nothing; `main` maps every outcome through exitCodeOf and never throws. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import { VERSION } from '../../src/version';
import { makeRepo } from '../helpers/git';

function memoryIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), color: false, interactive: false };
  return { io, out, err };
}

describe('cli/main', () => {
  it('answers --version and help in-process, with no command a usage error (exit 2)', async () => {
    const v = memoryIo();
    expect(await main(['--version'], v.io, {})).toBe(0);
    expect(v.out).toEqual([VERSION]);
    const none = memoryIo();
    expect(await main([], none.io, {})).toBe(2);
    expect(none.out.join('')).toMatch(/^modelgate [^\n]*\n\nusage: modelgate <command>/);
  });

  it('bad input is exit 2 with the error on stderr, never thrown out of main', async () => {
    const m = memoryIo();
    expect(await main(['promte'], m.io, {})).toBe(2);
    expect(m.err.join('')).toMatch(/unknown command 'promte'[\s\S]*did you mean `modelgate promote`/);
    expect(m.out).toEqual([]);
  });

  it('runs a command on a real repository: validate of a registry with a broken manifest is exit 2', async () => {
    const repo = await makeRepo({ 'registry/churn.yaml': 'apiVersion: modelgate/v1\nkind: Model\nname: churn\nversions: [\n' });
    try {
      const m = memoryIo();
      expect(await main(['validate', '--repo', repo.dir], m.io, {})).toBe(2);
      expect(m.err.join('')).toMatch(/registry\/churn\.yaml/);
    } finally {
      await repo.cleanup();
    }
  });
});
