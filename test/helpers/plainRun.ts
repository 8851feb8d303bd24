/** readRun with every value read (RunRecord reads params, tags and metrics on demand): reader tests compare whole runs. */
import { readRun } from '../../src/runs/read';
import type { PlainRun } from '../../src/runs/types';
import { plainRun } from '../../src/runs/values';

export async function readPlainRun(...args: Parameters<typeof readRun>): Promise<PlainRun> {
  return plainRun(await readRun(...args));
}
