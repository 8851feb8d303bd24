import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests that drive the bundle (`dist/`), real servers in child processes, racing promoters or
 * kills: the e2e lane. Everything else runs in-process: the unit lane. `npm test` runs both.
 */
const E2E = [
  'test/action/**',
  'test/e2e/**',
  'test/hardening/**',
  'test/bench/**',
  'test/integrity/{immutable,appended,evidence,layout}.test.ts',
  'test/git/commit.test.ts',
  'test/publish/publishers.test.ts',
  'test/artifacts/memory.test.ts',
];
const lane = process.env.MODELGATE_TEST_LANE;

export default defineConfig({
  test: {
    include: lane === 'e2e' ? E2E.map((g) => `${g.endsWith('**') ? `${g}/*.test.ts` : g}`) : ['test/**/*.test.ts'],
    exclude: lane === 'unit' ? ['node_modules/**', ...E2E] : ['node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn git, servers and node and mostly wait on them: run more files at
    // once than there are cores (vitest's default is cores - 1, a single file on 2 cores).
    pool: 'forks',
    maxWorkers: Math.max(3, availableParallelism() + 1),
  },
});
