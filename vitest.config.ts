import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs on every machine (corpus, API, browser); `integration`
// needs a container runtime for SQL Server and reports loudly when it has none.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          globalSetup: ['test/support/run-tmpdir.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          pool: 'forks',
          fileParallelism: false,
          globalSetup: ['test/support/run-tmpdir.ts'],
        },
      },
    ],
  },
});
