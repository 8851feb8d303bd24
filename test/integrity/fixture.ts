/**
 * One registry repository per test file, put back to its starting commit after each test (hard
 * reset and clean), so every test starts from the same committed state.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { TestRepo } from '../helpers/git';

export interface ResettableRepo {
  readonly repo: TestRepo;
  /** The commit every test starts from. */
  readonly start: string;
  /** Back to `start`: what the next test sees (also done after each test). */
  reset(): Promise<void>;
}

export function resettableRepo(make: () => Promise<TestRepo>, prepare: (repo: TestRepo) => Promise<void> = async () => undefined): ResettableRepo {
  let repo: TestRepo | undefined;
  let start = '';
  const reset = async () => {
    await repo!.git(['reset', '-q', '--hard', start]);
    await repo!.git(['clean', '-qfdx']);
  };
  beforeAll(async () => {
    repo = await make();
    await prepare(repo);
    start = (await repo.git(['rev-parse', 'HEAD'])).trim();
  });
  afterAll(async () => {
    await repo?.cleanup();
  });
  afterEach(reset);
  return {
    get repo() {
      return repo!;
    },
    get start() {
      return start;
    },
    reset,
  };
}
