import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure rooms, fakes only, fast) and `integration` (real Asterisk, SIPp,
// Chromium inside the test network namespace; files run one at a time because each starts its
// own Asterisk on the namespace's loopback with the default ports).
export default defineConfig({
  test: {
    reporters: ['default', 'junit'],
    globalSetup: ['test/temp-dir.ts'],
    outputFile: { junit: 'test-results/junit.xml' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup.ts'],
          // Vitest's default is one worker fewer than the CPUs: a single one on a 2-core machine, where much
          // of the unit tests' time is spent in child processes, SQLite and timers.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // The suite runs them beside an integration file (Asterisk, SIPp, Chromium) on 2 cores: a case that
          // takes 2 s alone took 6.3 s there once. Time is the benchmarks' to judge, not a unit test's limit.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/integration/setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
