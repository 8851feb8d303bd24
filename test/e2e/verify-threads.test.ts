/**
 * `audit verify` spreads large registries over worker threads. Whatever the thread count, the
 * verdict must be the same, byte for byte: same problems, same order, same exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { makeRegistry, MANIFEST } from '../helpers/registry';

type Repo = Awaited<ReturnType<typeof makeRegistry>>;
let repo: Repo;
const MODELS = ['churn-predictor', 'churn-a', 'churn-b', 'churn-c', 'churn-d'];

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (const m of MODELS.slice(1)) files[`registry/${m}.yaml`] = MANIFEST.replace('name: churn-predictor', `name: ${m}`);
  repo = await makeRegistry(files);
  for (const m of MODELS) {
    const r = await modelgate(repo.dir, ['promote', m, '3', '--to', 'Production', '--reason', 'ship', '--commit', '--actor', 'alice']);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(async () => {
  await repo.cleanup();
});

async function verify(threads: number) {
  return modelgate(repo.dir, ['audit', 'verify', '--format', 'json'], { MODELGATE_VERIFY_THREADS: String(threads) });
}

describe('audit verify across threads', () => {
  it('a clean registry verifies the same with 1 and 3 threads', async () => {
    const [one, three] = [await verify(1), await verify(3)];
    expect(one.code).toBe(0);
    expect(three).toEqual(one);
    expect(JSON.parse(one.stdout)).toMatchObject({ ok: true, models: 5, records: 10 });
  });

  it('tampered logs are reported identically, in model order, whatever the thread count', async () => {
    for (const m of ['churn-b', 'churn-d']) {
      const file = join(repo.dir, `audit/${m}.jsonl`);
      await writeFile(file, (await readFile(file, 'utf8')).replace('"actor":"alice"', '"actor":"mallory"'));
    }
    const [one, two, five] = [await verify(1), await verify(2), await verify(5)];
    expect(one.code).toBe(1);
    expect(two).toEqual(one);
    expect(five).toEqual(one);
    const problems = (JSON.parse(one.stdout) as { problems: { model: string; seq?: number }[] }).problems;
    expect(problems.map((p) => [p.model, p.seq])).toEqual([
      ['churn-b', 1],
      ['churn-d', 1],
    ]);
  });
});
