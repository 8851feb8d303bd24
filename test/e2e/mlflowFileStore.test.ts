/**
 * FileStore references at register: a registry version directory is refused with a pointer to
 * what to register instead; a bare run id is found under the repository's mlruns/.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelgate } from '../helpers/cli';
import { makeRegistry } from '../helpers/registry';

const SAMPLE = '/work/shared/mlflow/filestore-sample/mlruns';
const RUN = '66a226894f0b453b88a34d1033af8a40';
type Repo = Awaited<ReturnType<typeof makeRegistry>>;
const repos: Repo[] = [];
afterEach(async () => {
  while (repos.length) await repos.pop()!.cleanup();
});

async function withSample(): Promise<Repo> {
  const repo = await makeRegistry();
  repos.push(repo);
  await cp(SAMPLE, join(repo.dir, 'mlruns'), { recursive: true });
  await repo.commitAll('the file store');
  return repo;
}

describe('register with FileStore references', () => {
  it('a registry version directory is exit 2, pointing at models:/<name>/<n> and its run', async () => {
    const repo = await withSample();
    for (const ref of ['mlruns/models/churn-classifier/version-1', './mlruns/models/churn-classifier/version-1/']) {
      const r = await modelgate(repo.dir, ['register', 'sgd', '--run', ref, '--actor', 'alice']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('is a model registry version (churn-classifier version 1), not a run');
      expect(r.stderr).toContain('models:/churn-classifier/1');
      expect(r.stderr).toContain(RUN);
      expect(r.stderr).not.toMatch(/status is a string/);
    }
  });

  it('a bare run id is the run directory under mlruns/', async () => {
    const repo = await withSample();
    const r = await modelgate(repo.dir, ['register', 'sgd', '--run', RUN, '--artifact', `mlruns/417344215812358753/models/m-04caca97ef1d4f1982c3a79c27382064/artifacts`, '--actor', 'alice']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(repo.dir, 'registry/sgd.yaml'), 'utf8')).toContain(`run: mlruns/417344215812358753/${RUN}`);
  });
});
