import { stat } from 'node:fs/promises';
import { git } from '../git/exec';
import { InputError } from '../errors';

/** The top of the git work tree holding `dir`; a clear input error when it is not one. */
export async function repoRoot(dir: string): Promise<string> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new InputError(`repository directory ${dir} does not exist`, { hint: 'pass --repo DIR pointing at your registry repository' });
  const r = await git(['rev-parse', '--show-toplevel'], { cwd: dir, allowFail: true });
  if (r.code !== 0) {
    throw new InputError(`${dir} is not inside a git repository`, { hint: 'run modelgate in a git checkout of your registry (git init, or pass --repo)' });
  }
  return r.stdout.trim();
}
