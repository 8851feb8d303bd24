import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn git, servers and node and mostly wait on them: run more files at
    // once than there are cores (vitest's default is cores - 1, a single file on 2 cores).
    pool: 'forks',
    maxWorkers: Math.max(3, availableParallelism() + 1),
  },
});
